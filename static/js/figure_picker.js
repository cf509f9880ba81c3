// The report's figure picker: "插入" puts a figure's token where the cursor is in the text.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".insert-figure");
  if (!button) return;
  var text = document.getElementById("section-text");
  if (!text) return;
  var token = button.getAttribute("data-token");
  var start = text.selectionStart || 0;
  var end = text.selectionEnd || 0;
  text.value = text.value.slice(0, start) + token + text.value.slice(end);
  text.focus();
  text.selectionStart = text.selectionEnd = start + token.length;
});
