"""Administrative reconsideration (行政复议) and litigation (行政应诉) where the township is the respondent.

A person who disputes an act of the township government (a 行政处罚, 行政强制, 行政许可, a reply
to an 信息公开 request, a failure to act) may apply to the county government for 行政复议, or sue
in court (行政诉讼); the township is then 被申请人 / 被告 (DOMAIN.md §11). This app keeps those
cases: the copy received, the written answer or 答辩状 and its deadline, the hearing and who
appeared for the township (负责人出庭应诉), the decision or judgment, an appeal, the correction of
the act and the legal advisor's review.

It is its own app, not part of `disputes`: petitions and mediation are the township settling a
matter between people or answering a request, with its own rules (信访条例, 人民调解法); here
the township's own act is judged by another body, under 《行政复议法》 and 《行政诉讼法》, with
other clocks, outcomes and figures (纠错率, 败诉率, 负责人出庭应诉率). It reuses the shared
people (`disputes.models.Person`, masked the same way) and the workflow core of `miaoba`.
"""
