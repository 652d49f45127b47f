"""Demo organizations in the proportions of the Karamay figures (domain §6).

District scale: 497 organizations = 27 social groups + 56 private non-enterprise units + 414
community organizations (权益 116, 服务 106, 文体 192). Small scale: 25 = 1 + 3 + 21
(6 : 5 : 10). Every community also gets its residents' committee, which owns the community
teams (§8.5) and is not counted in the 497.
"""

from __future__ import annotations

from sqlalchemy import insert

from marketplace.demo.names import person_name
from marketplace.extensions import db
from marketplace.orgs.models import (
    LegalForm,
    Organization,
    OrgCategory,
    OrgStatus,
    OrgTransition,
    ServiceDomain,
)
from marketplace.orgs.uscc import CIVIL_AFFAIRS_PREFIX, with_check_character

# (social groups, agencies, community orgs by category rights/service/culture_sports)
COUNTS = {"small": (1, 3, (6, 5, 10)), "district": (27, 56, (116, 106, 192))}
# The review queue needs a few undecided registrations: (legal form, status, how many).
UNDECIDED = {
    "small": ((LegalForm.SOCIAL_SERVICE_AGENCY, OrgStatus.SUBMITTED, 1),
              (LegalForm.COMMUNITY_ORG, OrgStatus.SUBMITTED, 2),
              (LegalForm.COMMUNITY_ORG, OrgStatus.RETURNED, 1)),
    "district": ((LegalForm.SOCIAL_GROUP, OrgStatus.SUBMITTED, 2),
                 (LegalForm.SOCIAL_SERVICE_AGENCY, OrgStatus.SUBMITTED, 4),
                 (LegalForm.SOCIAL_SERVICE_AGENCY, OrgStatus.RETURNED, 2),
                 (LegalForm.COMMUNITY_ORG, OrgStatus.SUBMITTED, 12),
                 (LegalForm.COMMUNITY_ORG, OrgStatus.RETURNED, 4),
                 (LegalForm.COMMUNITY_ORG, OrgStatus.SUSPENDED, 2)),
}
RETURN_REASONS = ("章程中业务范围与服务内容不一致，请修改后重新提交。",
                  "缺少负责人身份证明和场所使用证明。", "联系电话无法接通，请核实。")

DISTRICT_PREFIX = "克拉玛依区"
GROUP_NAMES = (
    "义工联合会", "老年人体育协会", "书法家协会", "摄影家协会", "社会工作协会", "志愿者协会",
    "慈善协会", "老年大学校友会", "诗词学会", "太极拳协会", "舞蹈家协会", "民间文艺家协会",
    "科普协会", "青年志愿者协会", "关心下一代工作促进会", "家庭教育研究会", "老科技工作者协会",
    "音乐家协会", "美术家协会", "围棋协会", "象棋协会", "门球协会", "健身气功协会",
    "石油老年文化研究会", "民族团结促进会", "残疾人互助协会", "妇女儿童发展促进会",
    "退休职工协会", "曲艺家协会", "社区发展研究会",
)
AGENCY_STEMS = (
    "乐龄", "阳光", "同心", "和睦", "仁爱", "惠民", "金秋", "春晖", "安康", "启明", "彩虹",
    "油城", "天山", "雪莲", "胡杨", "红柳", "丝路", "暖阳", "康乐", "颐年", "馨家园", "益友",
    "同行", "向日葵", "小橘灯", "明德", "博爱", "善行",
)
AGENCY_KINDS = (
    "社会工作服务社", "养老服务中心", "居家养老服务站", "康复服务中心", "心理咨询服务中心",
    "青少年服务中心", "家庭服务中心", "社会工作服务中心",
)
COMMUNITY_ORG_NAMES = {
    OrgCategory.RIGHTS: ("老年人协会", "妇女互助会", "残疾人互助会", "邻里调解会", "维权服务站",
                         "关心下一代工作小组", "流动人口服务站", "退役军人服务站"),
    OrgCategory.SERVICE: ("夕阳红志愿者协会", "志愿者协会", "邻里互助会", "爱心帮扶协会",
                          "便民服务社", "为老服务协会", "家政互助社", "平安志愿者协会"),
    OrgCategory.CULTURE_SPORTS: ("秧歌队", "合唱团", "舞蹈协会", "书画协会", "太极拳协会",
                                 "剪纸协会", "象棋协会", "门球协会", "健身操协会", "民族歌舞团",
                                 "戏曲爱好者协会", "麦西来甫艺术团"),
}
CATEGORY_DOMAINS = {
    OrgCategory.RIGHTS: (ServiceDomain.ELDER_CARE, ServiceDomain.DISABILITY_SUPPORT,
                         ServiceDomain.PUBLIC_SECURITY, ServiceDomain.CHILD_YOUTH),
    OrgCategory.SERVICE: (ServiceDomain.ELDER_CARE, ServiceDomain.PUBLIC_SECURITY,
                          ServiceDomain.DISABILITY_SUPPORT, ServiceDomain.EDUCATION),
    OrgCategory.CULTURE_SPORTS: (ServiceDomain.CULTURE, ServiceDomain.ELDER_CARE,
                                 ServiceDomain.CHILD_YOUTH),
    OrgCategory.CHARITY: (ServiceDomain.ELDER_CARE, ServiceDomain.DISABILITY_SUPPORT,
                          ServiceDomain.CHILD_YOUTH, ServiceDomain.EDUCATION),
    OrgCategory.OTHER: tuple(ServiceDomain),
}


# What an organization's profile says it does: the services of the commonest team kinds.
PROFILE_SERVICES = ("为老服务", "治安巡逻", "党员志愿服务", "合唱", "舞蹈", "书画", "剪纸", "戏曲")


def _phone(rng) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _code(legal_form: LegalForm, serial: int, rng) -> str:
    """A credit code of the 民政 series with a correct GB 32100 check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    organization_code = f"MJ{serial:06d}{rng.choice(alphabet)}"
    return with_check_character(f"{CIVIL_AFFAIRS_PREFIX[legal_form]}650203{organization_code}")


def _plan(ctx) -> list[tuple[LegalForm, OrgCategory, str, object]]:
    """(legal form, category, name, home community or None) of every organization, the
    approved agency 乐龄 first so the demo's org admin has a registered organization."""
    rng = ctx.rng
    groups, agencies, (rights, service, culture) = COUNTS[ctx.scale]
    plan = []
    agency_names = [f"{DISTRICT_PREFIX}{stem}{kind}" for kind in AGENCY_KINDS
                    for stem in AGENCY_STEMS]
    agency_names.remove(f"{DISTRICT_PREFIX}乐龄社会工作服务社")
    rng.shuffle(agency_names)
    agency_names.insert(0, f"{DISTRICT_PREFIX}乐龄社会工作服务社")
    for name in agency_names[:agencies]:
        category = rng.choice((OrgCategory.SERVICE, OrgCategory.SERVICE, OrgCategory.CHARITY))
        plan.append((LegalForm.SOCIAL_SERVICE_AGENCY, category, name, None))
    group_names = list(GROUP_NAMES)
    rng.shuffle(group_names)
    for index in range(groups):
        name = group_names[index % len(group_names)]
        if index >= len(group_names):
            name = f"{name}（第{index // len(group_names) + 1}分会）"
        category = rng.choice((OrgCategory.RIGHTS, OrgCategory.CULTURE_SPORTS,
                               OrgCategory.CHARITY, OrgCategory.SERVICE))
        plan.append((LegalForm.SOCIAL_GROUP, category, f"{DISTRICT_PREFIX}{name}", None))
    taken = set()
    for category, count in ((OrgCategory.RIGHTS, rights), (OrgCategory.SERVICE, service),
                            (OrgCategory.CULTURE_SPORTS, culture)):
        for index in range(count):
            community = ctx.communities[index % len(ctx.communities)]
            stems = COMMUNITY_ORG_NAMES[category]
            stem = stems[(index // len(ctx.communities)) % len(stems)]
            name = f"{community.name}{stem}"
            while name in taken:
                name = f"{community.name}第{len(taken) % 9 + 2}{stem}"
            taken.add(name)
            plan.append((LegalForm.COMMUNITY_ORG, category, name, community))
    return plan


def seed_organizations(ctx) -> None:
    rng = ctx.rng
    plan = _plan(ctx)
    undecided = _undecided_positions(ctx, plan)
    orgs = []
    for serial, (form, category, name, community) in enumerate(plan, start=1):
        served = [community] if community else rng.sample(
            ctx.communities, k=min(len(ctx.communities), rng.randint(2, 6)))
        contact, _ethnicity = person_name(rng)
        org = Organization(
            name=name, legal_form=form, category=category,
            status=undecided.get(serial - 1, OrgStatus.APPROVED),
            uscc=_code(form, serial, rng) if form in CIVIL_AFFAIRS_PREFIX else None,
            district_id=ctx.district.id,
            street_id=community.street.id if community else None,
            contact_name=contact, contact_phone=_phone(rng),
            profile=f"{name}立足社区，组织志愿者开展{rng.choice(PROFILE_SERVICES)}等服务。",
        )
        org.communities = served
        org.domains = rng.sample(CATEGORY_DOMAINS[category],
                                 k=min(2, len(CATEGORY_DOMAINS[category])))
        orgs.append(org)
    committees = [
        Organization(name=f"{community.name}居民委员会", legal_form=LegalForm.RESIDENTS_COMMITTEE,
                     category=OrgCategory.OTHER, status=OrgStatus.APPROVED,
                     district_id=ctx.district.id, street_id=community.street.id,
                     communities=[community], contact_name=person_name(rng)[0],
                     contact_phone=_phone(rng))
        for community in ctx.communities
    ]
    db.session.add_all(orgs + committees)
    db.session.flush()
    _record_history(orgs, rng)
    ctx.organizations.extend(orgs)


def _undecided_positions(ctx, plan) -> dict[int, OrgStatus]:
    """Pick the undecided ones; community organizations of the first street come first so
    the street official of the demo has a queue."""
    first_street = ctx.streets[0].id
    chosen: dict[int, OrgStatus] = {}
    for form, status, count in UNDECIDED[ctx.scale]:
        candidates = [i for i, (f, _c, _n, community) in enumerate(plan)
                      if f == form and i > 0 and i not in chosen]
        if form == LegalForm.COMMUNITY_ORG:
            candidates.sort(key=lambda i: plan[i][3].street.id != first_street)
        for index in candidates[:count]:
            chosen[index] = status
    return chosen


def _record_history(orgs, rng) -> None:
    """Transitions as a real registration would have left them (actors predate the demo)."""
    rows = []
    for org in orgs:
        steps = []
        if org.status != OrgStatus.DRAFT:
            steps.append((OrgStatus.DRAFT, OrgStatus.SUBMITTED, "org_admin", None))
        if org.status == OrgStatus.RETURNED:
            steps.append((OrgStatus.SUBMITTED, OrgStatus.RETURNED, "official",
                          rng.choice(RETURN_REASONS)))
        if org.status in (OrgStatus.APPROVED, OrgStatus.SUSPENDED):
            steps.append((OrgStatus.SUBMITTED, OrgStatus.APPROVED, "official", None))
        if org.status == OrgStatus.SUSPENDED:
            steps.append((OrgStatus.APPROVED, OrgStatus.SUSPENDED, "official",
                          "年度检查未按时参加，暂停活动。"))
        rows += [{"organization_id": org.id, "from_status": a, "to_status": b,
                  "actor_role": role, "reason": reason} for a, b, role, reason in steps]
    if rows:
        db.session.execute(insert(OrgTransition), rows)
