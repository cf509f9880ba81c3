"""The notices of rectification tasks: 整改通知书 and 督办单 (see `miaoba.notices`).

整改通知书 assigns a task to its lead unit: the problem, the measures, the deadline, who is
responsible, and that completion is verified and closed (销号) on evidence. 督办单 presses a
task that is overdue (超期) or due within 7 days (临近到期): the 到期催办 of `DOMAIN.md` §6.
Basis cited: 《法治政府建设与责任落实督察工作规定》 (2019), which makes rectification of the
problems found an obligation of the body inspected (article not cited: check).
"""

from __future__ import annotations

from miaoba.gongwen import cn_date
from miaoba.notices import NoticeKind, NoticeText
from miaoba.workflow import today
from tasks.models import Event, Task

TOWN = "庙坝镇人民政府"  # the issuing organ (发文机关署名)
BASIS = "《法治政府建设与责任落实督察工作规定》"


def _problem(t: Task) -> str:
    p = t.problem
    return f"{p.year}年{p.get_source_display()}中指出的“{p.title.strip()}”问题"


def _people(t: Task) -> str:
    parts = [f"责任人：{t.responsible.display_name}"]
    if t.leader_id:
        parts.append(f"分管领导：{t.leader.display_name}")
    return "；".join(parts) + "。"


def _deadline(t: Task) -> str:
    if t.is_long_term:
        return "长期坚持，按阶段目标推进"
    return cn_date(t.due_on)


def _notice(t: Task, issued) -> NoticeText:
    co = "、".join(u.name for u in t.co_units.all())
    return NoticeText(
        title="整改通知书",
        number=issued.number,
        addressee=f"{t.lead_unit.name}：",
        paragraphs=(
            f"针对{_problem(t)}，现将整改任务（编号：{t.number}）交由你单位牵头整改"
            + (f"，{co}配合" if co else "")
            + "。",
            f"整改措施：{t.measures.strip()}",
            f"整改时限：{_deadline(t)}。{_people(t)}",
            "请按时限完成整改，及时填报整改进展并上传佐证材料；整改完成后报请领导核验销号。",
        ),
        basis=BASIS,
        issuer=TOWN,
        date=t.assigned_on,
    )


def _supervision(t: Task, issued) -> NoticeText:
    on = today()
    left = t.days_left(on)
    state = f"已超过整改时限{-left}日" if left is not None and left < 0 else "即将到期"
    return NoticeText(
        title="督办单",
        number=issued.number,
        addressee=f"{t.lead_unit.name}：",
        paragraphs=(
            f"你单位牵头的整改任务（编号：{t.number}，{_problem(t)}），整改时限为{_deadline(t)}，"
            f"截至{cn_date(on)}{state}，尚未完成整改。",
            f"整改措施：{t.measures.strip()}",
            f"请于收到本督办单之日起抓紧落实，并将整改进展和佐证材料及时报送。{_people(t)}",
        ),
        basis=BASIS,
        issuer=TOWN,
        date=on,
    )


def _open(t: Task) -> str:
    return "" if t.is_open else "任务已完成或已销号，无需出具。"


def _due_or_overdue(t: Task) -> str:
    if not t.is_open:
        return "任务已完成或已销号，无需督办。"
    left = t.days_left(today())
    if left is None or left > 7:
        return "超期或7日内到期的任务才出具督办单。"
    return ""


def _kind(key, title, prefix, available, build, date=lambda t: None) -> NoticeKind:
    return NoticeKind(
        key=key,
        title=title,
        model=Task,
        prefix=prefix,
        available=available,
        build=build,
        perm="tasks.change_task",
        view_perm="tasks.view_task",
        visible=lambda user: Task.objects.visible_to(user),
        detail_url="tasks:task_detail",
        date=date,
        event=lambda record, *, by, on, note: Event.add(
            record, action=f"出具{title}", on=on, by=by, note=note
        ),
    )


NOTICES = {
    "task_notice": _kind(
        "task_notice", "整改通知书", "庙坝整改通", _open, _notice, lambda t: t.assigned_on
    ),
    "task_supervision": _kind(
        "task_supervision", "督办单", "庙坝督办", _due_or_overdue, _supervision
    ),
}
