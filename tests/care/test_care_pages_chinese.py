"""The care pages speak Chinese by default and place points on a map."""

from __future__ import annotations


def test_the_household_form_speaks_chinese(care, as_user):
    page = as_user(care["social_worker"]).get("/care/households/new").text
    assert "登记服务对象" in page and "优先标记" in page and "空巢" in page


def test_points_are_placed_on_a_map_with_typed_coordinates_as_fallback(
    care, as_user, make_user, login_as, app
):
    from marketplace.auth.models import Role

    household_page = as_user(care["social_worker"]).get("/care/households/new").text
    volunteer_page = as_user(make_user(roles=[Role.VOLUNTEER])).get("/me/profile/edit").text
    for page in (household_page, volunteer_page):
        assert 'class="point-map"' in page and "vendor/leaflet/leaflet.js" in page
        assert "js/point-map.js" in page and "一网格" in page  # the grids to draw
        assert 'name="lat"' in page and 'name="lon"' in page  # works without JavaScript
        assert "tile.openstreetmap" not in page  # no outside tiles by default
