"""Every notification kind reads as its own Chinese sentence."""

from __future__ import annotations

from marketplace.notifications.kinds import KINDS, render


def test_every_notification_kind_has_its_own_sentence(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        generic = render("unknown.kind", {})
        sentences = {kind: render(kind, {"title": "敬老活动"}) for kind in KINDS}
    assert generic == "您有一条新通知。"
    assert all(sentence != generic for sentence in sentences.values())
    assert len(set(sentences.values())) == len(KINDS)
