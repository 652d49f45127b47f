"""The demo district's geography: a Karamay-like 克拉玛依区 (domain §6, §8.1).

Figures: 58 urban communities in six streets plus one township (小拐乡) with three villages,
about 500 grids of 150–300 households, 2.6 persons a household and 27,608 residents over 60
at full scale; the ``small`` scale keeps one street, three communities and 25 grids with the
same ratios (about 5,000 households, 1,380 over 60).
"""

from __future__ import annotations

import math
import random

from marketplace.demo.context import DemoContext
from marketplace.extensions import db
from marketplace.geo.models import Community, CommunityKind, District, Grid, Street, StreetKind

DISTRICT_NAME = "克拉玛依区"
REGION_CODE = "650203"
DISTRICT_CENTRE = (45.60, 84.87)

# (name, kind, centre, number of communities at full scale). The township lies away from
# the city, north-east across the desert.
STREETS: tuple[tuple[str, StreetKind, tuple[float, float], int], ...] = (
    ("天山路街道", StreetKind.STREET, (45.594, 84.868), 11),
    ("胜利路街道", StreetKind.STREET, (45.602, 84.882), 11),
    ("昆仑路街道", StreetKind.STREET, (45.588, 84.851), 10),
    ("银河路街道", StreetKind.STREET, (45.611, 84.857), 10),
    ("五五新镇街道", StreetKind.STREET, (45.625, 84.902), 9),
    ("迎宾街道", StreetKind.STREET, (45.572, 84.893), 7),
    ("小拐乡", StreetKind.TOWNSHIP, (45.962, 85.107), 3),
)

COMMUNITY_STEMS = (
    "友谊", "红星", "长征", "团结", "和平", "幸福", "朝阳", "新华", "金龙", "白杨", "石化",
    "油建", "红旗", "光明", "绿园", "南湖", "北苑", "月潭", "东湖", "世纪", "鸿雁", "碧水",
    "金城", "文化", "前进", "建设", "丽景", "翠园", "黄海", "九龙", "南新", "北新", "东城",
    "西城", "百花", "彩虹", "安居", "阳光", "兴旺", "康乐", "长青", "和谐", "星光", "雅居",
    "锦绣", "明珠", "紫金", "桃园", "银杏", "油城", "昆仑", "天山", "准噶尔", "戈壁", "胡杨",
    "柳树", "丰华", "瑞泽",
)
VILLAGE_NAMES = ("小拐村", "团结村", "五五村")

# Full scale: ~8.5 grids per city community, ~500 in all; a Karamay community has ~10 (000).
GRIDS_PER_COMMUNITY = (7, 10)
SMALL_GRIDS = (8, 8, 9)
# Most grids sit near the 150–180 of 000's 五百 areas, a few reach 300: mean ~200, so ~100,000
# households at full scale and ~5,000 in the small one.
HOUSEHOLDS_PER_GRID = (150, 300)
HOUSEHOLDS_MODE = 160
PERSONS_PER_HOUSEHOLD = 2.6
# 27,608 over-60s among ~260,000 residents (100,000 households of 2.6 persons).
SHARE_OVER_60 = 27_608 / (100_000 * PERSONS_PER_HOUSEHOLD)

METRES_PER_DEGREE_LAT = 111_320.0


def _jitter(
    rng: random.Random, centre: tuple[float, float], radius_m: float
) -> tuple[float, float]:
    """A point uniformly inside ``radius_m`` metres of ``centre``, rounded to ~1 m."""
    distance = radius_m * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = centre[0] + distance * math.cos(angle) / METRES_PER_DEGREE_LAT
    lon = centre[1] + distance * math.sin(angle) / (
        METRES_PER_DEGREE_LAT * math.cos(math.radians(centre[0]))
    )
    return round(lat, 6), round(lon, 6)


def seed_geography(ctx: DemoContext) -> None:
    """Create the district, its streets, communities and grids; fill ``ctx``."""
    rng = ctx.rng
    district = District(
        name=DISTRICT_NAME, region_code=REGION_CODE, lat=DISTRICT_CENTRE[0], lon=DISTRICT_CENTRE[1]
    )
    db.session.add(district)
    ctx.district = district

    plan = STREETS if ctx.is_full_district else STREETS[:1]
    stems = list(COMMUNITY_STEMS)
    rng.shuffle(stems)
    for street_name, kind, centre, community_count in plan:
        street = Street(
            district=district, name=street_name, kind=kind, lat=centre[0], lon=centre[1]
        )
        db.session.add(street)
        ctx.streets.append(street)
        count = community_count if ctx.is_full_district else len(SMALL_GRIDS)
        for index in range(count):
            if kind == StreetKind.TOWNSHIP:
                name, community_kind, radius = VILLAGE_NAMES[index], CommunityKind.VILLAGE, 6000
            else:
                name, community_kind, radius = f"{stems.pop()}社区", CommunityKind.URBAN, 1500
            grid_count = (
                rng.randint(*GRIDS_PER_COMMUNITY) if ctx.is_full_district else SMALL_GRIDS[index]
            )
            if community_kind == CommunityKind.VILLAGE:
                grid_count = rng.randint(3, 5)  # villages are smaller than city communities
            _seed_community(ctx, street, name, community_kind, _jitter(rng, centre, radius),
                            grid_count)
    db.session.flush()


def _seed_community(
    ctx: DemoContext,
    street: Street,
    name: str,
    kind: CommunityKind,
    centre: tuple[float, float],
    grid_count: int,
) -> None:
    rng = ctx.rng
    community = Community(street=street, name=name, kind=kind, lat=centre[0], lon=centre[1])
    households = 0
    for number in range(1, grid_count + 1):
        count = round(rng.triangular(*HOUSEHOLDS_PER_GRID, HOUSEHOLDS_MODE))
        households += count
        lat, lon = _jitter(rng, centre, 450)
        grid = Grid(
            community=community,
            name=f"第{number}网格",
            household_count=count,
            lat=lat,
            lon=lon,
        )
        ctx.grids.append(grid)
    community.households = households
    community.residents = round(households * rng.uniform(0.95, 1.05) * PERSONS_PER_HOUSEHOLD)
    community.residents_over_60 = round(community.residents * rng.uniform(0.85, 1.15)
                                        * SHARE_OVER_60)
    db.session.add(community)
    ctx.communities.append(community)
