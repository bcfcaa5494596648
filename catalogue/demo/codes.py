"""Valid 统一社会信用代码 for the demo's bodies and providers (GB 32100-2015, DOMAIN.md §6).

A code is: registration authority and kind (2 characters), the registering
authority's region (6 digits), the body's 9-character identifier (for bodies
that had one, its old 组织机构代码 with its GB 11714 check character), and
the GB 32100 check character. The identifier is derived from the body's name
with a stable hash, so every run of seed_demo gives the same code.
"""

import hashlib

from catalogue.validators import credit_code_check_character

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# The first characters of the 8-character identifier, as real codes of each
# kind carry them: government organs' old codes begin with 0, institutions'
# with 4; social organisations registered since 2016 get MJ, enterprises
# registered since 2015 MA4, law firms MD.
IDENTIFIER_PREFIX = {
    "11": "0",
    "12": "4",
    "13": "5",
    "31": "MD",
    "51": "MJ",
    "52": "MJ",
    "53": "MJ",
    "91": "MA4",
}


def organisation_code(base8: str) -> str:
    """The 9-character 组织机构代码: 8 characters and their GB 11714 check character."""
    total = sum(int(ch, 36) * weight for ch, weight in zip(base8, ORGANISATION_CODE_WEIGHTS))
    check = 11 - total % 11
    return base8 + {10: "X", 11: "0"}.get(check, str(check))


def identifier_for(name: str, prefix: str) -> str:
    """A stable 9-character identifier for a body's name."""
    lead = IDENTIFIER_PREFIX.get(prefix, "0")
    digits = int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 10 ** (8 - len(lead))
    return organisation_code(f"{lead}{digits:0{8 - len(lead)}d}")


def credit_code(prefix: str, region_code: str, name: str) -> str:
    """The 18-character code for a body named `name`, registered in `region_code`."""
    first17 = f"{prefix}{region_code}{identifier_for(name, prefix)}"
    return first17 + credit_code_check_character(first17)
