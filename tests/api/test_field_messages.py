"""Refused API input is explained in the reader's language, marshmallow's own messages too."""

from __future__ import annotations

import re

import marshmallow as ma
import pytest
from marshmallow import fields, validate

from marketplace.api.field_messages import in_reader_language
from marketplace.api.schemas import UtcDateTime


class EveryKind(ma.Schema):
    """One field of each kind and rule the API's schemas use."""

    whole = fields.Integer(required=True, validate=validate.Range(1, 100))
    above = fields.Integer(validate=validate.Range(min=1))
    below = fields.Float(validate=validate.Range(max=600))
    number = fields.Float()
    text = fields.String(validate=validate.Length(min=1, max=64))
    short = fields.String(validate=validate.Length(max=3))
    long = fields.String(validate=validate.Length(min=3))
    flag = fields.Boolean()
    day = fields.Date()
    moment = UtcDateTime()
    names = fields.List(fields.String())
    mapping = fields.Dict()
    kind = fields.String(validate=validate.OneOf(["organization", "street"]))
    kept = fields.Integer(allow_none=False)
    odd = fields.Integer(validate=lambda value: value % 2 == 1)


BAD = {"whole": "1.5", "above": 0, "below": 601, "number": "nan", "text": "", "short": "abcd",
       "long": "ab", "flag": "maybe", "day": "5/1", "moment": "tomorrow", "names": "x",
       "mapping": [1], "kind": "city", "kept": None, "odd": 2, "extra": 1}


def _messages(data) -> list[str]:
    with pytest.raises(ma.ValidationError) as refused:
        EveryKind().load(data)
    found = []
    for value in refused.value.messages.values():
        found.extend(value if isinstance(value, list) else [str(value)])
    return found


@pytest.mark.parametrize("data", [BAD, {}, "not an object", {"whole": 1000, "number": 10**400}])
def test_every_marshmallow_message_reads_in_chinese(app, data):
    english = _messages(data)
    assert english
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        chinese = [in_reader_language(message) for message in english]
    untranslated = [e for e, c in zip(english, chinese, strict=True)
                    if e == c or not re.search(r"[\u4e00-\u9fff]", c)]
    assert untranslated == []


def test_numbers_and_lengths_keep_their_bounds(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert in_reader_language("Must be greater than or equal to 1 and less than or equal "
                                  "to 100.") == "请输入 1 到 100 之间的数字。"
        assert in_reader_language("Length must be between 1 and 64.") == "请输入 1 到 64 个字符。"
        assert in_reader_language("Must be one of: organization, street.") == (
            "请从以下选择一项：organization, street。")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert in_reader_language("Must be greater than or equal to 1.") == (
            "Enter a number of at least 1.")
    # A rule of our own already speaks the reader's language and passes as it is.
    assert in_reader_language("已有同名团队。") == "已有同名团队。"


def test_a_refused_request_names_each_field_in_the_readers_language(app, api_client, make_user):
    from marketplace.auth.models import Role

    volunteer = make_user(roles=[Role.VOLUNTEER])
    answer = api_client(volunteer).post("/api/v1/me/sign-ups", json={"seats": 2})
    assert answer.status_code == 422
    assert answer.json["errors"] == {"shift_id": ["此项为必填。"],
                                     "seats": ["未知字段：请不要发送此项。"]}
    paged = api_client(None, language="en").get("/api/v1/organizations?per_page=0")
    assert paged.json["errors"] == {"per_page": ["Enter a number from 1 to 100."]}
