"""The page frame (base.html) and the shared macros (_macros.html) that every page uses."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired

from marketplace.auth.models import Role


class SampleForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Name: required.")],
                       description="As on your ID card.")
    agree = BooleanField("I agree")
    source = RadioField("Source", choices=[("centre", "Centre"), ("point", "Point")])
    slots = SelectMultipleField("Slots", choices=[("mon_am", "Mon AM"), ("mon_pm", "Mon PM")])


def render_fields(form) -> str:
    return render_template_string(
        '{% from "_macros.html" import field %}'
        "{{ field(form.name, placeholder='x') }}{{ field(form.agree) }}"
        "{{ field(form.source) }}{{ field(form.slots, container_class='toggle-grid') }}",
        form=form,
    )


def test_a_field_with_an_error_points_to_its_message_and_help(app):
    with app.test_request_context("/", method="POST", data={"slots": ["mon_pm"]}):
        form = SampleForm()
        assert not form.validate()
        html = render_fields(form)
    name_input = re.search(r'<input[^>]*id="name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in name_input
    assert 'aria-describedby="name-help name-error"' in name_input
    assert 'placeholder="x"' in name_input
    assert '<p class="field-error" id="name-error">Name: required.</p>' in html
    assert '<p class="field-help" id="name-help">As on your ID card.</p>' in html
    assert '<label for="name">Name' in html


def test_choices_render_as_tappable_labels_keeping_what_was_chosen(app):
    with app.test_request_context("/", method="POST", data={"name": "a", "slots": ["mon_pm"],
                                                             "source": "point"}):
        form = SampleForm()
        form.validate()
        html = render_fields(form)
    assert 'aria-invalid' not in html
    assert re.search(r'<label class="choice" for="agree"><input[^>]*type="checkbox"', html)
    assert re.search(r'type="radio" id="source-1" name="source" value="point" checked', html)
    assert 'class="choices choices-checkbox toggle-grid"' in html
    assert re.search(r'type="checkbox" id="slots-1" name="slots" value="mon_pm" checked', html)
    assert not re.search(r'value="mon_am" checked', html)
    assert "<select" not in html  # a multi-select list is unusable on a phone


class FakePage:
    page, pages, total, prev_num, next_num, has_prev, has_next = 3, 9, 170, 2, 4, True, True

    def iter_pages(self, **_edges):
        return [1, 2, 3, 4, None, 9]


def test_pagination_keeps_the_filters_and_marks_the_current_page(app):
    with app.test_request_context("/?q=%E7%8E%8B&domain=elder_care&domain=culture&page=3"):
        html = render_template_string(
            '{% from "_macros.html" import pagination %}{{ pagination(p, "home.index") }}',
            p=FakePage(),
        )
    links = re.findall(r'href="([^"]+)"', html)
    assert links[0].startswith("/?page=2&amp;")
    for link in links:
        assert "q=%E7%8E%8B" in link and "domain=elder_care&amp;domain=culture" in link
        assert link.count("page=") == 1
    assert '<span class="page-link current" aria-current="page">3</span>' in html
    assert "第 3 / 9 页，共 170 条" in html  # Chinese unless the user chose English


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_anonymous_pages_offer_login_register_language_and_privacy_notice(client):
    html = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert 'href="/auth/login"' in html and 'href="/auth/register"' in html
    assert 'action="/language"' in html and 'name="next" value="/"' in html
    assert re.search(r'name="csrf_token" value="[^"]+"', html)
    assert 'href="/privacy"' in html
    assert "隐私声明" in html and "共治 Gongzhi" in html
    assert "style=" not in html and "<script>" not in html  # the CSP allows neither


def test_a_signed_in_user_logs_out_with_a_post_form_and_switches_language(
    client, make_user, login_as
):
    login_as(client, make_user(roles=[Role.VOLUNTEER]))
    html = client.get("/orgs?page=1").get_data(as_text=True)
    assert re.search(r'<form class="inline-form" method="post" action="/auth/logout">\s*'
                     r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert 'href="/auth/login"' not in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert 'name="next" value="/orgs?page=1"' in html

    switched = client.post(
        "/language", data={"locale": "en", "next": "/orgs?page=1", "csrf_token": token}
    )
    assert switched.status_code == 302 and switched.location.endswith("/orgs?page=1")
    english = client.get("/orgs?page=1").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert "Log out" in english and "Privacy notice" in english
    assert 'value="en" lang="en" aria-pressed="true"' in english
