"""统一社会信用代码 (GB 32100-2015) and region codes, with real codes."""

import pytest
from django.core.exceptions import ValidationError

from catalogue.validators import credit_code_check_character, validate_credit_code, validate_region_code

VALID = [
    "91110000600037341L",  # the standard's own example (an enterprise registered in Beijing)
    "91350100M000100Y43",  # the corrected form of DOMAIN.md's invalid vector
]


@pytest.mark.parametrize("code", VALID)
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize("authority", ["A", "N", "Y"])
def test_authority_codes_a_n_y_are_accepted(authority):
    """One popular library wrongly rejects these; the standard allows them."""
    body = f"{authority}1421200MA4F00012"
    validate_credit_code(body + credit_code_check_character(body))


def test_wrong_check_character_names_the_expected_one():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000100Y4Z")
    assert "第18位应为“3”" in exc.value.messages[0]


def test_off_by_one_check_character_is_refused():
    with pytest.raises(ValidationError, match="校验位错误"):
        validate_credit_code("91110000600037341M")


@pytest.mark.parametrize("code", ["9111000060003734", "91110000600037341LX", ""])
def test_wrong_length_is_refused_with_the_length(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert "应为18位" in exc.value.messages[0]
    assert f"{len(code)}位" in exc.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_are_refused(letter):
    with pytest.raises(ValidationError, match="不允许的字符"):
        validate_credit_code(f"9111000060003734{letter}L")


def test_unknown_registration_authority_is_refused():
    body = "B1421200MA4F00012"
    with pytest.raises(ValidationError, match="登记管理部门代码"):
        validate_credit_code(body + credit_code_check_character(body))


def test_region_digits_must_be_digits():
    body = "9142A200MA4F00012"
    with pytest.raises(ValidationError, match="行政区划代码"):
        validate_credit_code(body + credit_code_check_character(body))


def test_check_character_weights_follow_the_standard():
    from catalogue.validators import CREDIT_CODE_WEIGHTS

    assert CREDIT_CODE_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("code", ["421200", "421281", ""])
def test_region_codes_of_six_digits_or_empty_pass(code):
    validate_region_code(code)


@pytest.mark.parametrize("code", ["42120", "4212000", "42120A", "xn-htz"])
def test_region_codes_of_other_shapes_are_refused(code):
    with pytest.raises(ValidationError, match="6位数字"):
        validate_region_code(code)
