"""The one menu (core/menu.py): who sees which entry, what each card says, and that every entry leads
to a page its viewers may open."""

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from accounts.roles import ROLE_PERMISSIONS, Role
from core import menu
from core.scoping import ORGANISATION, PLATFORM, SCHOOL, TenantContext, TenantRef

KINDS = {Role.SCHOOL_ADMIN: SCHOOL, Role.TEACHER: SCHOOL, Role.REVIEWER: ORGANISATION, Role.PLATFORM_ADMIN: PLATFORM}


def tenant_of(role: str) -> TenantContext:
    kind = KINDS[role]
    ref = TenantRef(kind, None if kind == PLATFORM else 1)
    return TenantContext(ref=ref, role=role, label="", permissions=ROLE_PERMISSIONS[role])


def bar(tenant, view_name=""):
    """The navigation bar as (label, [dropdown labels]) pairs, in Chinese."""
    with translation.override("zh-hans"):
        return [(item.label, [child.label for child in item.children]) for item in menu.navigation(tenant, view_name)]


def cards(tenant):
    with translation.override("zh-hans"):
        return {card.title: card.text for card in menu.home_cards(tenant)}


CERTIFICATES_OF_A_SCHOOL_ADMIN = ["成绩", "证书发放", "证书签领", "证书查验"]
NAVIGATION = {
    Role.SCHOOL_ADMIN: [
        ("首页", []),
        ("试点", []),
        ("学员", []),
        ("考点申报", []),
        ("考核安排", []),
        ("成绩与证书", CERTIFICATES_OF_A_SCHOOL_ADMIN),
        ("专项资金", ["专项资金项目", "考核费结算"]),
        ("统计报表", []),
        ("学校", ["学校信息", "师资", "证书目录"]),
    ],
    Role.TEACHER: [
        ("首页", []),
        ("试点", []),
        ("学员", []),
        ("考点申报", []),  # read only: the school's applications
        ("考核安排", []),
        ("成绩与证书", ["成绩", "证书签领"]),
        ("统计报表", []),
        ("学校", ["学校信息", "师资", "证书目录"]),
    ],
    Role.REVIEWER: [
        ("首页", []),
        ("试点", []),
        ("考点审核", []),
        ("鉴定公告", []),
        ("成绩与证书", ["成绩", "证书发放", "证书查验"]),
        ("考核费结算", []),  # the one funding entry an organisation has: a plain link
        ("统计报表", []),
        ("目录", ["证书目录"]),
    ],
    Role.PLATFORM_ADMIN: [("首页", []), ("统计报表", []), ("目录", ["证书目录"])],
}

SCHOOL_CARDS = {"试点", "收费标准", "学员", "专业与班级", "考点申报", "考点", "考核安排", "考核成绩", "证书签领"}
SCHOOL_CARDS |= {"其他技能证书", "签领名单打包下载", "统计报表", "学校信息", "师资", "证书目录"}
CARDS = {
    Role.SCHOOL_ADMIN: SCHOOL_CARDS | {"证书发放", "证书查验与二维码", "证书查验记录", "专项资金", "考核费结算"},
    Role.TEACHER: SCHOOL_CARDS,
    Role.REVIEWER: {
        "试点",
        "收费标准",
        "考点审核",
        "考点",
        "年度鉴定公告",
        "考核批次",
        "考核成绩",
        "证书发放",
        "证书查验与二维码",
        "证书查验记录",
        "考核费结算",
        "统计报表",
        "证书目录",
    },
    Role.PLATFORM_ADMIN: {"统计报表", "证书目录", "后台管理"},
}


def test_every_url_name_resolves_and_every_name_the_menu_uses_exists():
    granted = set().union(*ROLE_PERMISSIONS.values())
    groups = {group.key for group in menu.GROUPS}
    for entry in menu.ENTRIES:
        assert reverse(entry.url_name)
        assert set(entry.permissions) <= granted, entry
        assert {p for p, _text in entry.texts if p is not None} <= granted, entry
        assert entry.group in groups, entry
        assert entry.in_navigation or entry.has_card, entry
        if entry.card_extra:
            get_template(entry.card_extra)


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_sees_the_navigation_its_permissions_allow(role):
    assert bar(tenant_of(role)) == NAVIGATION[role]


@pytest.mark.parametrize("role", list(CARDS))
def test_each_role_sees_the_cards_its_permissions_allow(role):
    assert set(cards(tenant_of(role))) == CARDS[role]


def test_what_a_teacher_and_a_reviewer_do_not_share():
    teacher, reviewer = bar(tenant_of(Role.TEACHER)), bar(tenant_of(Role.REVIEWER))
    teacher_labels = {label for item in teacher for label in [item[0], *item[1]]}
    reviewer_labels = {label for item in reviewer for label in [item[0], *item[1]]}
    assert not {"专项资金", "专项资金项目", "考核费结算", "考点审核", "证书发放", "证书查验"} & teacher_labels
    assert {"考点审核", "鉴定公告", "证书发放"} <= reviewer_labels
    assert not {"学员", "考点申报", "考核安排", "证书签领", "学校信息"} & reviewer_labels


def test_a_user_with_no_membership_sees_the_home_and_the_catalogue_only():
    assert bar(None) == [("首页", []), ("目录", ["证书目录"])]
    assert cards(None) == {"证书目录": "职业技能等级证书及合格分数线。"}


def test_a_card_says_what_the_role_may_do_there():
    admin, teacher, reviewer = (cards(tenant_of(r)) for r in (Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER))
    platform = cards(tenant_of(Role.PLATFORM_ADMIN))
    assert admin["考核成绩"] == "成绩录入、公示、异议登记与答复、结束公示；成绩变更记录。"
    assert teacher["考核成绩"] == "为分配给您的考核批次录入成绩：键盘快速录入或 Excel 导入。"
    assert reviewer["考核成绩"] == "各学校本组织证书的考核成绩（自成绩公示起，只读）。"
    assert admin["学员"].startswith("学生与社会学员登记") and teacher["学员"] == "本校学生名册（只读）。"
    assert admin["考核费结算"].startswith("与各培训评价组织") and reviewer["考核费结算"].startswith("各学校的")
    assert admin["证书查验与二维码"] == "本校已发证书的查验二维码与记录。"
    assert reviewer["证书查验与二维码"].endswith("撤销证书、补发证书（补证）。")
    assert [d["证书目录"] for d in (platform, reviewer, admin, teacher)] == [
        "维护证书、等级和合格分数线；Excel 导入导出。",
        "本组织拥有的证书、等级和合格分数线。",
        "可申报试点的职业技能等级证书及其等级。",
        "职业技能等级证书及合格分数线。",
    ]


def active(tenant, view_name):
    """The labels marked active on a page: top-level items and dropdown items."""
    with translation.override("zh-hans"):
        items = menu.navigation(tenant, view_name)
    return [i.label for i in items if i.active] + [c.label for i in items for c in i.children if c.active]


def test_the_current_page_marks_its_item_active_by_url_namespace():
    admin, reviewer = tenant_of(Role.SCHOOL_ADMIN), tenant_of(Role.REVIEWER)
    assert active(admin, "home") == ["首页"]
    assert active(admin, "pilots:pilot_detail") == ["试点"]
    assert active(admin, "pilots:catalogue") == ["学校"]  # the catalogue sits in the school's dropdown
    assert active(admin, "accounts:staff") == ["学校"]
    assert active(admin, "certificates:class_list") == ["成绩与证书"]
    assert active(admin, "funding:project_detail") == ["专项资金", "专项资金项目"]
    assert active(admin, "funding:settlement_detail") == ["专项资金", "考核费结算"]
    assert active(reviewer, "funding:settlement_detail") == ["考核费结算"]
    assert active(admin, "exam_sites:batch_list") == ["考点申报"]  # as before: the first exam-site link
    assert active(admin, "") == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.TEACHER, Role.REVIEWER, Role.PLATFORM_ADMIN])
def test_every_page_the_menu_shows_opens_for_the_role_and_the_home_prints_it(client, world, role):
    user = world.platform_admin if role == Role.PLATFORM_ADMIN else world.a.user(role)
    client.force_login(user)
    with translation.override("zh-hans"):
        shown = menu.home_cards(tenant_of(role))
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for card in shown:
        assert f'href="{card.url}"' in html and card.title in html and card.text in html
    for item in menu.navigation(tenant_of(role)):
        for link in item.children or [item]:
            assert f'href="{link.url}"' in html
    for entry in menu.ENTRIES:
        if entry.visible_to(tenant_of(role)):
            assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name
