"""The report's outlines as data: which sections, in which order, fed by which areas.

Two outlines (`reports.models.Outline`):
- 督察 (default from 2021): the five contents of 《法治政府建设与责任落实督察工作规定》(2019)
  第二十四条 — 一、主要举措和成效 (subsections by area, after the chapters of 《法治政府建设实施
  纲要（2021—2025年）》), 二、存在的不足和原因, 三、党政主要负责人履行推进法治建设第一责任人
  职责情况, 四、下一年度主要安排, 五、其他需要报告的情况. DOMAIN.md §8, REPORT-PATTERNS.md.
- 2020: the shape of the 2020 report of 庙坝镇 (`shared/seed-report-2020.txt`): 一、工作开展
  情况 (its eight subsections, and a ninth on last year's problems, which the next year's
  report shows), 二、存在的主要问题, 三、下步整改思路, 四、意见建议.

Each `SectionSpec` names its composer (`reports.composer.COMPOSERS`) and the areas that feed
it (keys of `reports.areas.AREAS`); a heading may hold {year} and {next}.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import Outline


@dataclass(frozen=True)
class SectionSpec:
    """One section of an outline: level (0 opening, 1 "一、", 2 "（一）"), heading, composer."""

    level: int
    heading: str
    compose: str
    areas: tuple[str, ...] = ()

    def heading_for(self, year: int) -> str:
        return self.heading.format(year=year, next=year + 1)


INSPECTION = (
    SectionSpec(0, "", "opening", ("petitions", "disputes", "documents", "records")),
    SectionSpec(1, "一、{year}年度推进法治政府建设的主要举措和成效", "heading"),
    SectionSpec(2, "（一）依法全面履行政府职能。", "functions", ("year",)),
    SectionSpec(2, "（二）完善依法行政制度体系。", "documents", ("documents",)),
    SectionSpec(
        2, "（三）推进行政决策科学化、民主化、法治化。", "decisions", ("decisions", "reviews")
    ),
    SectionSpec(2, "（四）坚持严格规范公正文明执法。", "enforcement", ("records", "year")),
    SectionSpec(2, "（五）依法有效化解社会矛盾纠纷。", "disputes", ("petitions", "disputes")),
    SectionSpec(2, "（六）全面提高政府工作人员法治思维和依法行政能力。", "study", ("records",)),
    SectionSpec(2, "（七）深入推进法治宣传教育。", "publicity", ("records",)),
    SectionSpec(2, "（八）上年度存在问题整改情况。", "rectification", ("tasks",)),
    SectionSpec(1, "二、存在的不足和原因", "problems", ("tasks",)),
    SectionSpec(
        1, "三、党政主要负责人履行推进法治建设第一责任人职责情况", "first_responsible", ("records",)
    ),
    SectionSpec(1, "四、{next}年度推进法治政府建设的主要安排", "plans", ("tasks",)),
    SectionSpec(1, "五、其他需要报告的情况", "other", ("documents",)),
)

SEED_2020 = (
    SectionSpec(0, "", "opening", ("petitions", "disputes", "documents", "records")),
    SectionSpec(1, "一、工作开展情况", "heading"),
    SectionSpec(2, "（一）依法全面履行政府职能。", "functions", ("year",)),
    SectionSpec(2, "（二）完善依法行政制度体系。", "documents", ("documents",)),
    SectionSpec(
        2, "（三）推进行政决策科学化、民主化、法制化。", "decisions", ("decisions", "reviews")
    ),
    SectionSpec(2, "（四）坚持严格规范公正文明执法。", "enforcement", ("records", "year")),
    SectionSpec(2, "（五）强化对行政权力的制约和监督。", "oversight", ()),
    SectionSpec(2, "（六）依法有效化解社会矛盾纠纷。", "disputes", ("petitions", "disputes")),
    SectionSpec(2, "（七）全面提高政府工作人员法治思维和依法行政能力。", "study", ("records",)),
    SectionSpec(2, "（八）组织保障和落实机制。", "organisation", ("records",)),
    SectionSpec(2, "（九）上年度存在问题整改情况。", "rectification", ("tasks",)),
    SectionSpec(1, "二、存在的主要问题", "problems", ("tasks",)),
    SectionSpec(1, "三、下步整改思路", "plans", ("tasks",)),
    SectionSpec(1, "四、对确保{next}年我镇基本建成法治政府提出意见建议", "suggestions"),
)

OUTLINES: dict[str, tuple[SectionSpec, ...]] = {
    Outline.INSPECTION: INSPECTION,
    Outline.SEED_2020: SEED_2020,
}


def default_outline_for(year: int) -> str:
    """Return the outline a new report of `year` starts from: the 2020 shape for 2020 and
    before (the 督察工作规定 outline came into use from the 2021 reports), else 督察."""
    return Outline.SEED_2020 if year <= 2020 else Outline.INSPECTION
