"""The one menu: every link of the navigation bar and of the home page's cards, declared once.

An ``Entry`` names its page and permissions as strings (core imports no app). A tenant sees it when
it holds any of its ``permissions`` (none: every member) and is of one of its ``tenants`` kinds (none:
any). It is in the navigation when it has a ``label``, and a home card when it has a ``text`` or
``texts``: (permission, text) alternatives by role, the first held wins, ``None`` always matches.
A ``Group`` is one item of the navigation bar; ``active`` patterns (fnmatch on the view's
``namespace:url_name``; "-" excludes) mark the current page's item. ``visible_menu`` is the list
that ``navigation`` and ``home_cards`` read (templates: the tags in core/templatetags/menu.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scoping import ORGANISATION, PLATFORM, SCHOOL, TenantContext

# Permission names (granted to roles in accounts/roles.py; tests check that each one exists there).
VIEW_SCHOOL = "view_school"
MANAGE_SCHOOL = "manage_school"
MANAGE_FUNDING = "manage_funding"
VIEW_ORGANISATION = "view_organisation"
REVIEW = "review"
ISSUE_CERTIFICATES = "issue_certificates"
MANAGE_CATALOGUE = "manage_catalogue"
VIEW_REPORTS = "view_reports"
MANAGE_STAFF = "manage_staff"
VIEW_SETTLEMENTS = "view_settlements"

# How a group shows in the navigation bar.
AUTO = "auto"  # one visible entry: a plain link; several: a dropdown
DROPDOWN = "dropdown"  # always a dropdown
LINKS = "links"  # each entry a plain link of its own


@dataclass(frozen=True)
class Group:
    key: str
    label: Any
    school_label: Any = None  # the label when the active tenant is a school
    layout: str = AUTO
    active: tuple[str, ...] = ()  # view names marking the dropdown (or its lone link) active

    def label_for(self, tenant: TenantContext | None) -> str:
        if self.school_label and tenant is not None and tenant.kind == SCHOOL:
            return str(self.school_label)
        return str(self.label)


@dataclass(frozen=True)
class Entry:
    group: str
    url_name: str
    label: Any = None  # in the navigation; None: a card only
    permissions: tuple[str, ...] = ()  # any one of them; none: every member
    tenants: tuple[str, ...] = ()  # tenant kinds; none: any
    title: Any = None  # the card's title, when it is not the label
    text: Any = None  # the card's description
    texts: tuple[tuple[str | None, Any], ...] = ()  # or descriptions by role: (permission or None, text)
    active: tuple[str, ...] = ()  # view names marking the entry active (in a dropdown or as a plain link)
    card_extra: str = ""  # a template the home page includes after this entry's card

    @property
    def in_navigation(self) -> bool:
        return self.label is not None

    @property
    def has_card(self) -> bool:
        return bool(self.text or self.texts)

    def visible_to(self, tenant: TenantContext | None) -> bool:
        if self.tenants and (tenant is None or tenant.kind not in self.tenants):
            return False
        held = tenant.permissions if tenant is not None else frozenset()
        return not self.permissions or any(p in held for p in self.permissions)

    def text_for(self, tenant: TenantContext | None) -> str:
        held = tenant.permissions if tenant is not None else frozenset()
        for permission, text in self.texts:
            if permission is None or permission in held:
                return str(text)
        return str(self.text or "")


GROUPS: tuple[Group, ...] = (
    Group("home", _("首页"), active=("home",)),
    Group("pilots", _("试点"), active=("pilots:*", "-pilots:catalogue")),
    Group("students", _("学员"), active=("students:*",)),
    Group("exam_sites", _("考点"), layout=LINKS),
    Group("certificates", _("成绩与证书"), active=("certificates:*",)),
    Group("funding", _("专项资金"), active=("funding:*",)),
    Group("reports", _("统计报表"), active=("reports:*",)),
    Group("directory", _("目录"), school_label=_("学校"), layout=DROPDOWN, active=("accounts:*", "pilots:catalogue")),
)

SCHOOL_OR_ORGANISATION = (SCHOOL, ORGANISATION)

# A table, one entry to a line or two (its card's texts by role below it): the formatter would give
# every field a line of its own.
# fmt: off
ENTRIES: tuple[Entry, ...] = (
    Entry("home", "home", _("首页")),
    # pilots
    Entry("pilots", "pilots:pilot_list", _("试点"), tenants=SCHOOL_OR_ORGANISATION, texts=(
        (MANAGE_SCHOOL, _("申报试点、查看试点指标与报名情况。")),
        (REVIEW, _("审批本组织证书的试点申报，核定试点指标。")),
        (None, _("本校试点及试点指标（只读）。")),
    )),
    Entry("pilots", "pilots:fees", tenants=SCHOOL_OR_ORGANISATION,
          title=_("收费标准"), text=_("各证书各等级的每人考核费及执行日期。")),
    # students
    Entry("students", "students:person_list", _("学员"), permissions=(VIEW_SCHOOL,), tenants=(SCHOOL,), texts=(
        (MANAGE_SCHOOL, _("学生与社会学员登记、Excel 导入导出、按姓名/班级/身份证号查询。")),
        (None, _("本校学生名册（只读）。")),
    )),
    Entry("students", "students:class_list", permissions=(VIEW_SCHOOL,), tenants=(SCHOOL,),
          title=_("专业与班级"), text=_("专业、班号（如 20数控1）及班级人数。")),
    # exam sites and scheduling: the school applies and schedules, the organisation reviews and announces
    Entry("exam_sites", "exam_sites:application_list", _("考点申报"), permissions=(VIEW_SCHOOL,),
          text=_("填写考点申报表，提交培训评价组织审核，生成 PDF。"), active=("exam_sites:*",)),
    Entry("exam_sites", "exam_sites:queue", _("考点审核"), permissions=(REVIEW,),
          text=_("审核本组织证书的考点申报：批准、退回修改或不予通过。"), active=("exam_sites:*",)),
    Entry("exam_sites", "exam_sites:site_list", permissions=(VIEW_SCHOOL, REVIEW), title=_("考点"),
          text=_("已批准的考点、每天最大考核量和考场；省指导中心。"), card_extra="partials/site_events.html"),
    Entry("exam_sites", "exam_sites:batch_list", _("考核安排"), permissions=(VIEW_SCHOOL,),
          text=_("在年度鉴定公告的轮次内安排考核批次和场次，分配座位，打印场次名单。")),
    Entry("exam_sites", "exam_sites:announcement_list", _("鉴定公告"), permissions=(REVIEW,), title=_("年度鉴定公告"),
          text=_("发布本组织证书的年度鉴定公告和各轮次（考核日期、报名截止、考核等级）。")),
    Entry("exam_sites", "exam_sites:batch_list", permissions=(REVIEW,), title=_("考核批次"),
          text=_("学校在本组织证书下安排的考核批次、场次和场次名单。")),
    # results and certificates
    Entry("certificates", "certificates:results_index", _("成绩"), permissions=(VIEW_SCHOOL, VIEW_ORGANISATION),
          title=_("考核成绩"), texts=(
        (VIEW_ORGANISATION, _("各学校本组织证书的考核成绩（自成绩公示起，只读）。")),
        (MANAGE_SCHOOL, _("成绩录入、公示、异议登记与答复、结束公示；成绩变更记录。")),
        (None, _("为分配给您的考核批次录入成绩：键盘快速录入或 Excel 导入。")),
    )),
    Entry("certificates", "certificates:issuance_list", _("证书发放"), permissions=(ISSUE_CERTIFICATES,),
          text=_("成绩已结束的批次：为合格考生生成、录入或导入证书编号（含校验位）。")),
    Entry("certificates", "certificates:class_list", _("证书签领"), permissions=(VIEW_SCHOOL,), tenants=(SCHOOL,),
          text=_("按班级查看已发、已签领与待发证书；登记签领人，生成考证签领名单（PDF / Excel）。")),
    Entry("certificates", "certificates:external_list", permissions=(VIEW_SCHOOL,), tenants=(SCHOOL,),
          title=_("其他技能证书"), text=_("1+X 以外的技能证书：逐个登记或 Excel 导入，计入获得技能证。")),
    Entry("certificates", "certificates:roster_zip", permissions=(VIEW_SCHOOL,), tenants=(SCHOOL,),
          title=_("签领名单打包下载"), text=_("一个批次或一个年度的全部考证签领名单，打包为一个 ZIP。")),
    Entry("certificates", "certificates:verification_certificates", _("证书查验"), permissions=(ISSUE_CERTIFICATES,),
          title=_("证书查验与二维码"), texts=(
        (REVIEW, _("已发证书的查验二维码与记录；撤销证书、补发证书（补证）。")),
        (None, _("本校已发证书的查验二维码与记录。")),
    )),
    Entry("certificates", "certificates:verification_log", permissions=(ISSUE_CERTIFICATES,),
          title=_("证书查验记录"), text=_("用人单位何时查验了哪些证书、是否查到。")),
    # funding
    Entry("funding", "funding:project_list", _("专项资金项目"), permissions=(MANAGE_FUNDING,), title=_("专项资金"),
          text=_("专项资金项目的预算、采购、支出与绩效目标（实际值自动统计）。"),
          active=("funding:*", "-funding:settlement*")),
    Entry("funding", "funding:settlement_list", _("考核费结算"), permissions=(VIEW_SETTLEMENTS,),
          active=("funding:settlement*",), texts=(
        (VIEW_ORGANISATION, _("各学校的考核费结算单：考核人数、应付、已付与余额，与学校所见一致。")),
        (None, _("与各培训评价组织的考核费结算单：考核人数、应付、已付与余额，双方所见一致。")),
    )),
    # reports
    Entry("reports", "reports:statistics", _("统计报表"), permissions=(VIEW_REPORTS,), text=_(
        "教育试点、社会人员试点、考证情况、双证毕业与历年证书试点统计表；按年份、证书、等级筛选，导出 Excel。"
    )),
    # the school's own records, the catalogue and (platform) the admin site
    Entry("directory", "accounts:school", _("学校信息"), tenants=(SCHOOL,), texts=(
        (MANAGE_SCHOOL, _("单位名称、地址、简介；生成学校简介 PDF。")),
        (None, _("查看学校信息（只读）。")),
    )),
    Entry("directory", "accounts:staff", _("师资"), tenants=(SCHOOL,), texts=(
        (MANAGE_STAFF, _("登记培训师、考评员和督考资格。")),
        (None, _("查看本校的师资资格。")),
    )),
    Entry("directory", "pilots:catalogue", _("证书目录"), texts=(
        (MANAGE_CATALOGUE, _("维护证书、等级和合格分数线；Excel 导入导出。")),
        (VIEW_ORGANISATION, _("本组织拥有的证书、等级和合格分数线。")),
        (MANAGE_SCHOOL, _("可申报试点的职业技能等级证书及其等级。")),
        (None, _("职业技能等级证书及合格分数线。")),
    )),
    Entry("directory", "admin:index", tenants=(PLATFORM,),
          title=_("后台管理"), text=_("学校、培训评价组织、用户与成员身份。")),
)
# fmt: on


def visible_menu(tenant: TenantContext | None) -> list[tuple[Group, list[Entry]]]:
    """The groups, in order, with the entries the tenant may see; groups with none are left out."""
    visible = [entry for entry in ENTRIES if entry.visible_to(tenant)]
    menu = []
    for group in GROUPS:
        entries = [entry for entry in visible if entry.group == group.key]
        if entries:
            menu.append((group, entries))
    return menu


def is_active(patterns: tuple[str, ...], view_name: str) -> bool:
    """Whether the view's name (``namespace:url_name``) matches a pattern and no "-" exclusion."""
    if not view_name:
        return False
    matched = False
    for pattern in patterns:
        if pattern.startswith("-"):
            if fnmatchcase(view_name, pattern[1:]):
                return False
        elif fnmatchcase(view_name, pattern):
            matched = True
    return matched


@dataclass
class NavItem:
    """One item of the navigation bar: a plain link (``url``) or a dropdown of ``children``."""

    label: str
    url: str = ""
    active: bool = False
    children: list[NavItem] = field(default_factory=list)


def navigation(tenant: TenantContext | None, view_name: str = "") -> list[NavItem]:
    """The navigation bar of a tenant, on the page whose view is ``view_name``."""
    items = []
    for group, entries in visible_menu(tenant):
        links = [entry for entry in entries if entry.in_navigation]
        if not links:
            continue
        if group.layout == LINKS:
            items += [NavItem(str(e.label), reverse(e.url_name), is_active(e.active, view_name)) for e in links]
        elif group.layout == AUTO and len(links) == 1:
            items.append(NavItem(str(links[0].label), reverse(links[0].url_name), is_active(group.active, view_name)))
        else:
            children = [NavItem(str(e.label), reverse(e.url_name), is_active(e.active, view_name)) for e in links]
            items.append(NavItem(group.label_for(tenant), active=is_active(group.active, view_name), children=children))
    return items


@dataclass
class Card:
    """One card of the home page: a link with its title and description, and an optional extra card."""

    url: str
    title: str
    text: str
    extra: str = ""


def home_cards(tenant: TenantContext | None) -> list[Card]:
    """The cards of the tenant's home page ("可以做的事"), in menu order."""
    return [
        Card(reverse(entry.url_name), str(entry.title or entry.label), entry.text_for(tenant), entry.card_extra)
        for _group, entries in visible_menu(tenant)
        for entry in entries
        if entry.has_card
    ]
