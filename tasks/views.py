"""Pages of the problem (问题) and rectification-task (整改任务) registers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from miaoba.caseviews import attach_errors, case_void_view, query_without_page, step_view
from miaoba.records import (
    DuplicateSubmission,
    add_version_field,
    change_history,
    create_once,
    expect_version,
    keep_input_after_conflict,
)
from tasks import forms as f
from tasks import services as s
from tasks.filters import BUCKETS, ProblemFilter, TaskFilter, bucket_condition
from tasks.flows import TASK
from tasks.models import Evidence, Extension, Milestone, Problem, Task

PAGE_SIZE = 20


def _get_task_for_user(request: HttpRequest, pk: int) -> Task:
    """Return the task if the user may see it; 404 otherwise (never reveal it exists)."""
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related(
            "problem", "lead_unit", "responsible", "leader", "verified_by", "follows_up"
        ),
        pk=pk,
    )


def _get_problem_for_user(request: HttpRequest, pk: int) -> Problem:
    """Return the problem; problems are the township's own and every reader may see them."""
    return get_object_or_404(Problem, pk=pk)


def _rows(tasks, today):
    """Return the table rows of `tasks` (a page or a short list): each task with its light and
    `extension_count` (延期次数), counted for these tasks only in one grouped query."""
    tasks = list(tasks)
    # Counted after the page is cut: a subquery in the list's SELECT was evaluated for every
    # row before the sort and OFFSET (bench: the last page 1.5× the admin's).
    counts = (
        dict(
            Extension.objects.filter(task__in=[t.pk for t in tasks])
            .order_by()
            .values_list("task")
            .annotate(n=Count("id"))
        )
        if tasks
        else {}
    )
    rows = []
    for t in tasks:
        t.extension_count = counts.get(t.pk, 0)
        rows.append({"task": t, "light": t.light(today), "light_text": t.light_text(today)})
    return rows


def _list_queryset(qs):
    return qs.select_related("problem", "lead_unit", "responsible", "leader").order_by(
        "-year", "-serial"
    )


# --- Tasks -----------------------------------------------------------------------------------


@permission_required("tasks.view_task", raise_exception=True)
@require_http_methods(["GET"])
def task_list(request: HttpRequest) -> HttpResponse:
    """List tasks with their traffic lights, filters (deadline bucket, unit, leader, mine ...)
    and pagination (20 a page).

    Queries stay flat: counts by bucket with the total (one), the filtered count when filtered
    (one), the page (one); the filter lists come from the reference cache.
    """
    today = timezone.localdate()
    base = Task.objects.visible_to(request.user)
    filterset = TaskFilter(request.GET or None, queryset=base, request=request)
    qs = filterset.qs if filterset.is_bound else base.active()
    summary, total = _bucket_summary(base.active(), today)
    paginator = Paginator(_list_queryset(qs), PAGE_SIZE)
    if not filterset.is_bound:
        paginator.count = total  # the same rows as the summary's: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/task_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": _rows(page, today),
            "summary": summary,
            "query_without_page": query_without_page(request),
            "query": request.GET.urlencode(),
        },
    )


def _bucket_summary(base, today) -> tuple[list[dict], int]:
    """Return the big numbers above the list (未销号, 已超期, 10日内到期, 待销号, 已销号) and
    how many tasks `base` holds.

    One aggregate over the tasks (a COUNT with FILTER per bucket), one scan.
    """
    buckets = ("open", "overdue", "within_10", "awaiting", "closed")
    counts = base.order_by().aggregate(
        total=Count("pk"), **{b: Count("pk", filter=bucket_condition(b, today)) for b in buckets}
    )
    labels = dict(BUCKETS)
    lights = {"overdue": "red", "within_10": "amber", "closed": "blue", "awaiting": "green"}
    items = [
        {
            "key": b,
            "label": labels[b].replace("未销号 · ", ""),
            "n": counts[b],
            "light": lights.get(b, "grey"),
        }
        for b in buckets
    ]
    return items, counts["total"]


@permission_required("tasks.verify_task", raise_exception=True)
@require_http_methods(["GET"])
def verify_queue(request: HttpRequest) -> HttpResponse:
    """List what waits for the leader's verification (待我销号): completed tasks they supervise
    first, then the other completed tasks any leader may verify, except their own.
    """
    today = timezone.localdate()
    waiting = _list_queryset(Task.objects.active().filter(status=Task.Status.COMPLETED)).order_by(
        "completed_on", "pk"
    )
    rows = _rows(waiting, today)
    mine = [r for r in rows if r["task"].leader_id == request.user.pk]
    others = [r for r in rows if r["task"].leader_id != request.user.pk]
    return render(
        request,
        "tasks/verify_queue.html",
        {"mine": mine, "others": others},
    )


@permission_required("tasks.add_task", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    """Register a task for a problem (整改任务交办); `?problem=ID` preselects the problem."""
    initial = {}
    if request.GET.get("problem", "").isdigit():
        initial["problem"] = int(request.GET["problem"])
    form = f.TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task = s.task_create(
                by=request.user,
                problem=d["problem"],
                measures=d["measures"],
                lead_unit=d["lead_unit"],
                co_units=d["co_units"],
                responsible=d["responsible"],
                leader=d["leader"],
                assigned_on=d["assigned_on"],
                due_on=d["due_on"],
                period_days=d["period_days"],
                period_months=d["period_months"],
                is_long_term=d["is_long_term"],
                milestones=d["milestones"],
                follows_up=d["follows_up"],
                form_token=d["form_token"],
            )
        except DuplicateSubmission as dup:
            messages.info(
                request, f"该交办表已提交过，未重复登记。已打开之前登记的 {dup.record.number}。"
            )
            return redirect("tasks:task_detail", pk=dup.record.pk)
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已交办，编号 {task.number}")
            return redirect("tasks:task_detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "task": None})


@permission_required("tasks.change_task", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a task's measures, units and people (修改); the deadline changes by 延期 only."""
    task = _get_task_for_user(request, pk)
    if task.is_closed or task.is_voided:
        why = "已作废" if task.is_voided else "已销号，不能修改；问题反弹时请先“重新整改”"
        messages.warning(request, f"{task.number}{why}。")
        return redirect("tasks:task_detail", pk=task.pk)
    initial = {
        "measures": task.measures,
        "lead_unit": task.lead_unit_id,
        "co_units": list(task.co_units.values_list("pk", flat=True)),
        "responsible": task.responsible_id,
        "leader": task.leader_id,
        "follows_up": task.follows_up_id,
    }
    form = f.TaskEditForm(request.POST or None, user=request.user, task=task, initial=initial)
    add_version_field(form, task)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        co_units = d.pop("co_units")
        version = d.pop("version")
        try:
            expect_version(task, version)
            s.task_update(task, by=request.user, co_units=co_units, **d)
        except ValidationError as e:
            attach_errors(form, e)
            keep_input_after_conflict(form, e)
        else:
            messages.success(request, f"已保存：{task.number}")
            return redirect("tasks:task_detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "task": task})


@permission_required("tasks.view_task", raise_exception=True)
@require_http_methods(["GET"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a task: facts, deadline and light, milestones, progress with evidence, steps,
    extensions and the timeline."""
    task = _get_task_for_user(request, pk)
    today = timezone.localdate()
    progress = task.progress.select_related("by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id"))
    )
    can_change = request.user.has_perm("tasks.change_task")
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "light": task.light(today),
            "light_text": task.light_text(today),
            "today": today,
            "co_units": list(task.co_units.all()),
            "milestones": list(task.milestones.all()),
            "progress": list(progress),
            "extensions": list(task.extensions.select_related("approved_by")),
            "events": task.events.select_related("by"),
            "follow_ups": list(task.follow_ups.all()),
            "steps": TASK.available(task, request.user),
            "verify_blocked": task.status == Task.Status.COMPLETED
            and request.user.has_perm("tasks.verify_task")
            and request.user.pk == task.responsible_id,
            "progress_form": f.ProgressForm(initial={"on": today})
            if can_change and not task.is_closed and not task.is_voided
            else None,
            "can_change": can_change and not task.is_voided,
            "can_void": can_change and not task.is_voided and not task.is_closed,
            "history": change_history(task, user=request.user),
        },
    )


@permission_required("tasks.change_task", raise_exception=True)
@require_POST
@create_once
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a progress entry with evidence files on a task (填报整改进展)."""
    task = _get_task_for_user(request, pk)
    form = f.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            s.task_add_progress(task, by=request.user, on=d["on"], text=d["text"], files=d["files"])
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已填报整改进展：{task.number}")
            return redirect("tasks:task_detail", pk=task.pk)
    return render(
        request,
        "tasks/task_step.html",
        {"task": task, "form": form, "label": "填报整改进展", "multipart": True},
    )


@permission_required("tasks.change_task", raise_exception=True)
@require_http_methods(["GET", "POST"])
def milestone_reach(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a milestone reached (阶段目标完成)."""
    milestone = get_object_or_404(Milestone, pk=pk)
    task = _get_task_for_user(request, milestone.task_id)
    form = f.MilestoneReachForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            s.milestone_reach(milestone, by=request.user, on=form.cleaned_data["done_on"])
        except ValidationError as e:
            attach_errors(form, e)
        else:
            messages.success(request, f"已登记阶段目标完成：{milestone.title}")
            return redirect("tasks:task_detail", pk=task.pk)
    return render(
        request,
        "tasks/task_step.html",
        {"task": task, "form": form, "label": f"阶段目标完成：{milestone.title}"},
    )


@permission_required("tasks.view_evidence", raise_exception=True)
@require_http_methods(["GET"])
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send an evidence file to a user who may see its task; 404 for anyone else."""
    evidence = get_object_or_404(Evidence, pk=pk)
    _get_task_for_user(request, evidence.task_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.file.name.rsplit("/", 1)[-1],
    )


# --- Steps and voiding ------------------------------------------------------------------------


def _verify_context(task: Task, name: str) -> dict:
    """The leader verifies against what was done: the step page shows progress and evidence."""
    progress = None
    if name == "verify":
        progress = list(task.progress.select_related("by").prefetch_related("evidence"))
    return {"task": task, "progress": progress}


@permission_required("tasks.view_task", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Show and record one step of a task (报完成, 销号, 延期, 重新整改, 增加阶段目标)."""
    found = TASK.steps.get(step)
    if found is None or not found.form:
        raise Http404("没有这个办理环节")
    if not request.user.has_perm(TASK.perm_of(found)):
        raise PermissionDenied
    task = _get_task_for_user(request, pk)
    return step_view(request, TASK, task, step, context=_verify_context)


@permission_required("tasks.change_task", raise_exception=True)
@require_http_methods(["GET", "POST"])
def task_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a task registered in error (作废), with a reason and a confirmation."""
    return case_void_view(request, TASK, _get_task_for_user(request, pk))


# --- Problems --------------------------------------------------------------------------------


@permission_required("tasks.view_problem", raise_exception=True)
@require_http_methods(["GET"])
def problem_list(request: HttpRequest) -> HttpResponse:
    """List problems with their grouping and how many of their tasks are closed."""
    base = Problem.objects.all()
    filterset = ProblemFilter(request.GET or None, queryset=base)
    qs = (
        (filterset.qs if filterset.is_bound else base)
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__voided_at__isnull=True), distinct=True),
            closed_count=Count(
                "tasks",
                filter=Q(tasks__status=Task.Status.CLOSED, tasks__voided_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("-year", "source", "order", "id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tasks/problem_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query_without_page": query_without_page(request),
        },
    )


@permission_required("tasks.view_problem", raise_exception=True)
@require_http_methods(["GET"])
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a problem and the tasks answering it that the user may see."""
    problem = _get_problem_for_user(request, pk)
    today = timezone.localdate()
    tasks = _list_queryset(Task.objects.visible_to(request.user).filter(problem=problem)).order_by(
        "year", "serial"
    )
    return render(
        request,
        "tasks/problem_detail.html",
        {"problem": problem, "rows": _rows(tasks, today)},
    )


def _problem_form_view(request: HttpRequest, problem: Problem | None) -> HttpResponse:
    form = f.ProblemForm(request.POST or None, instance=problem)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if problem is None:
                problem = s.problem_register(by=request.user, **d)
                messages.success(request, "已登记问题，可继续为其交办整改任务。")
            else:
                s.problem_update(problem, by=request.user, **d)
                messages.success(request, "已保存问题。")
        except ValidationError as e:
            attach_errors(form, e)
        else:
            return redirect("tasks:problem_detail", pk=problem.pk)
    return render(request, "tasks/problem_form.html", {"form": form, "problem": problem})


@permission_required("tasks.add_problem", raise_exception=True)
@require_http_methods(["GET", "POST"])
@create_once
def problem_create(request: HttpRequest) -> HttpResponse:
    """Register a problem (问题登记)."""
    return _problem_form_view(request, None)


@permission_required("tasks.change_problem", raise_exception=True)
@require_http_methods(["GET", "POST"])
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a problem."""
    problem = _get_problem_for_user(request, pk)
    # ModelForm validation writes into the instance; keep the stored one until the service runs.
    return _problem_form_view(request, Problem.objects.get(pk=problem.pk))
