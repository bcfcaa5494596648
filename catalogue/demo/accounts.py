"""Demo accounts and the groups that carry their permissions (DOMAIN.md §11).

The password is documented in the README and printed by seed_demo; these
accounts exist only because seed_demo, which refuses to run with DEBUG off,
created them.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "xianning-demo-2015"

# StaffProfile.Role's values. Each role's group (catalogue/roles.py's ROLE_GROUPS) carries the model
# permissions, the StaffProfile the scope (which region, which purchasing body).
MUNICIPAL_FINANCE = "MUNICIPAL_FINANCE"
COUNTY_FINANCE = "COUNTY_FINANCE"
DEPARTMENT = "DEPARTMENT"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str = ""  # empty for the superuser
    region: str = ""  # slug
    purchasing_body: str = ""  # name
    role_label: str = ""
    scope_label: str = ""


USERS = [
    DemoUser("admin", "系统管理员", role_label="超级管理员 superuser", scope_label="全部 everything"),
    DemoUser(
        "shicaizheng", "市财政局综合科", MUNICIPAL_FINANCE, "xianning",
        role_label="市财政局 municipal finance", scope_label="全部行政区划 every region",
    ),
    DemoUser(
        "xianan", "咸安区财政局", COUNTY_FINANCE, "xianan",
        role_label="县级财政部门 county finance", scope_label="咸安区",
    ),
    DemoUser(
        "chibi", "赤壁市财政局", COUNTY_FINANCE, "chibi",
        role_label="县级财政部门 county finance", scope_label="赤壁市",
    ),
    DemoUser(
        "minzheng", "市民政局", DEPARTMENT, "xianning", "咸宁市民政局",
        role_label="部门 department", scope_label="咸宁市民政局",
    ),
]
