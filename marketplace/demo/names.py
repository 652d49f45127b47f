"""Realistic person names for the demo district (domain §6).

Han 78 %, Uyghur 14 %, Kazakh 5 %, Hui 2 %, Mongol 1 %. Uyghur and Kazakh names are written
as given name·father's name with U+00B7 MIDDLE DOT, the form used on Chinese ID cards.
"""

from __future__ import annotations

import random

MIDDLE_DOT = "\u00b7"

# (ethnicity code, share)
ETHNICITY_MIX: tuple[tuple[str, float], ...] = (
    ("han", 0.78),
    ("uyghur", 0.14),
    ("kazakh", 0.05),
    ("hui", 0.02),
    ("mongol", 0.01),
)

# Han surnames weighted roughly by national frequency (the top ten cover ~40 % of people).
HAN_SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 72), ("李", 71), ("张", 67), ("刘", 53), ("陈", 44), ("杨", 31), ("赵", 20),
    ("黄", 19), ("周", 18), ("吴", 17), ("徐", 14), ("孙", 14), ("胡", 13), ("朱", 12),
    ("高", 12), ("林", 11), ("何", 11), ("郭", 11), ("马", 10), ("罗", 9), ("梁", 8),
    ("宋", 8), ("郑", 8), ("谢", 7), ("韩", 7), ("唐", 7), ("冯", 7), ("于", 7), ("董", 6),
    ("萧", 3), ("程", 6), ("曹", 6), ("袁", 6), ("邓", 6), ("许", 6), ("傅", 5), ("沈", 5),
    ("曾", 5), ("彭", 5), ("吕", 5), ("苏", 5), ("卢", 5), ("蒋", 5), ("蔡", 5), ("贾", 4),
    ("丁", 4), ("魏", 4), ("薛", 4), ("叶", 4), ("阎", 4), ("余", 4), ("潘", 4), ("杜", 4),
    ("戴", 4), ("夏", 3), ("钟", 4), ("汪", 3), ("田", 4), ("任", 4), ("姜", 3), ("范", 3),
    ("方", 3), ("石", 3), ("姚", 3), ("谭", 3), ("廖", 3), ("邹", 3), ("熊", 3), ("金", 3),
    ("陆", 3), ("郝", 3), ("孔", 3), ("白", 3), ("崔", 3), ("康", 3), ("毛", 3), ("邱", 3),
    ("秦", 3), ("江", 3), ("史", 3), ("顾", 2), ("侯", 2), ("邵", 2), ("孟", 2), ("龙", 2),
    ("万", 2), ("段", 2), ("雷", 2), ("钱", 2), ("汤", 2), ("尹", 2), ("黎", 2), ("易", 2),
    ("常", 2), ("武", 2), ("乔", 2), ("贺", 2), ("赖", 2), ("龚", 2), ("文", 2), ("庞", 1),
    ("樊", 1), ("兰", 1), ("殷", 1), ("施", 1), ("陶", 1), ("洪", 1), ("翟", 1), ("安", 1),
    ("颜", 1), ("倪", 1), ("严", 1), ("牛", 1), ("温", 1), ("芦", 1), ("季", 1), ("俞", 1),
    ("章", 1), ("鲁", 1), ("葛", 1), ("伍", 1), ("韦", 1), ("申", 1), ("尤", 1), ("毕", 1),
    ("聂", 1), ("焦", 1), ("向", 1), ("柳", 1), ("邢", 1), ("岳", 1), ("齐", 1), ("梅", 1),
    ("莫", 1), ("庄", 1), ("辛", 1), ("管", 1), ("祝", 1), ("左", 1), ("涂", 1), ("谷", 1),
    ("祁", 1), ("时", 1), ("舒", 1), ("耿", 1), ("牟", 1), ("卜", 1), ("詹", 1), ("关", 1),
    ("苗", 1), ("凌", 1), ("费", 1), ("纪", 1), ("靳", 1), ("盛", 1), ("童", 1), ("欧阳", 1),
    ("上官", 1), ("司马", 1), ("诸葛", 1),
)

# One-character given names (about a third of people born since the 1950s carry one).
HAN_SINGLE_MALE = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳峰亮成志海东文彬博晨锋"
)
HAN_SINGLE_FEMALE = tuple(
    "芳娜敏静丽艳娟霞英玲兰萍红梅婷雪琳颖慧莉倩洁琴云燕丹蓉晶妍欣怡悦璐瑶茜雯蕾薇萱菲"
)
# Two-character given names as people actually carry them, across the generations of a
# district where retired oil workers live beside their children and grandchildren.
HAN_DOUBLE_MALE = (
    "建国", "建军", "国庆", "卫东", "志强", "志刚", "建华", "建平", "海涛", "海峰", "文杰",
    "俊杰", "浩然", "子轩", "宇航", "博文", "晨阳", "天宇", "明辉", "永强", "永刚", "振华",
    "国强", "国华", "德胜", "春生", "新民", "红军", "立新", "学军", "晓东", "晓峰", "晓明",
    "小龙", "家豪", "家乐", "鹏飞", "云飞", "志伟", "志明", "伟东", "伟民", "文斌", "文博",
    "世杰", "胜利", "金龙", "玉林", "保国", "建新", "长江", "爱国", "向东", "红星", "德华",
    "少华", "宏伟", "宏亮", "海军", "海龙", "林峰", "思远", "一鸣", "梓豪", "浩宇", "宇轩",
    "皓轩", "铭泽", "子墨", "雨泽", "奕辰", "俊宇", "明哲", "天佑", "承泽", "旭东", "建伟",
    "军辉", "振宇", "树林", "福林", "庆丰", "春雷", "大勇", "永福", "光明", "忠诚", "建设",
    "卫国", "跃进", "克勤", "学文", "志远", "嘉诚", "润泽", "景行",
)
HAN_DOUBLE_FEMALE = (
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "凤英", "玉珍", "淑珍", "丽华", "秀珍", "桂芳",
    "红梅", "丽娟", "春梅", "晓燕", "海燕", "艳红", "丽萍", "丽娜", "雪梅", "慧敏", "静怡",
    "婷婷", "晓丽", "美玲", "玉梅", "秀梅", "金凤", "爱华", "淑芬", "玉芬", "红霞", "彩霞",
    "雅琴", "丹丹", "佳怡", "欣怡", "梓涵", "诗涵", "雨涵", "紫萱", "可馨", "思琪", "梦瑶",
    "雨欣", "一诺", "子涵", "若曦", "欣妍", "佳琪", "晓彤", "文静", "雅婷", "美琳", "心怡",
    "雪莹", "玉洁", "晓红", "建英", "卫红", "新华", "亚萍", "小芳", "春燕", "冬梅", "秋菊",
    "晓雪", "海霞", "丽君", "慧娟", "瑞雪", "清华", "宁宁", "嘉欣", "雨桐", "语嫣", "沐晴",
)

UYGHUR_GIVEN_MALE = (
    "艾力", "买买提", "阿不都", "艾合买提", "吐尔逊", "麦麦提", "阿里木", "艾尔肯", "努尔买买提",
    "伊力哈木", "库尔班", "吾斯曼", "阿布都热依木", "玉素甫", "热合曼", "艾买尔", "亚森",
    "肉孜", "依明", "塔依尔", "阿迪力", "木合塔尔", "克里木", "买合木提", "伊斯拉木", "喀迪尔",
    "艾克拜尔", "赛买提", "吐尔洪", "阿卜杜拉", "帕尔哈提", "迪力夏提", "阿不力孜", "米吉提",
    "居来提", "艾则孜", "如则", "牙合甫", "巴拉提", "司马义",
)
UYGHUR_GIVEN_FEMALE = (
    "阿依古丽", "古丽娜尔", "阿曼古丽", "热依拉", "帕提古丽", "迪丽拜尔", "努尔古丽", "再努尔",
    "米娜瓦尔", "阿依努尔", "古丽米拉", "祖丽菲亚", "热娜", "布维", "玛依拉", "海尼古丽",
    "阿孜古丽", "莎依丹", "吐尼萨古丽", "古再丽努尔", "热孜宛古丽", "排孜丽耶", "迪丽努尔",
    "阿丽米热", "萨拉买提", "帕丽达", "美合日班", "努尔尼沙", "茹仙古丽", "哈丽恰木",
)
KAZAKH_GIVEN_MALE = (
    "努尔兰", "叶尔兰", "别克", "哈那提", "阿斯哈尔", "叶尔江", "达吾列提", "加那提", "胡安",
    "马合沙提", "巴合提", "叶尔波拉提", "库尔曼", "塔斯肯", "阿依登", "吾兰", "居马别克",
    "哈布都拉", "木拉提", "阿勒泰", "赛力克", "别尔克", "波拉提", "吐尔逊别克", "叶尔肯",
    "哈力木", "阿合买提", "沙肯", "阿不都拉", "托合塔尔",
)
KAZAKH_GIVEN_FEMALE = (
    "古丽巴哈", "阿依达娜", "加娜尔", "阿依江", "玛丽亚", "巴合古丽", "古丽扎达", "阿克玛",
    "哈丽玛", "努尔江", "沙吾列", "阿依夏", "木合拜提", "吾木提", "加依娜", "阿依波塔",
    "萨吾列", "古丽孜拉", "阿尔达克", "娜孜古丽",
)
# Father's names are male given names of the same people.
UYGHUR_FATHER = (*UYGHUR_GIVEN_MALE, "吐尔地", "尼亚孜", "卡德尔", "沙吾提", "哈斯木")
KAZAKH_FATHER = (*KAZAKH_GIVEN_MALE, "哈山", "卡力", "吐肯", "胡马尔", "沙力")

# Hui people use Han-style names; these surnames are far more common among them.
HUI_SURNAMES: tuple[tuple[str, int], ...] = (
    ("马", 40), ("杨", 8), ("白", 6), ("丁", 6), ("哈", 4), ("纳", 3), ("海", 3), ("穆", 3),
    ("沙", 3), ("李", 4), ("金", 3), ("冶", 2), ("撒", 2), ("拜", 2), ("苏", 2),
)
MONGOL_MALE = (
    "巴特尔", "苏和", "额尔敦", "巴图", "朝鲁", "宝音", "那顺", "阿拉坦", "孟和", "达来",
    "特木尔", "布和", "吉日嘎拉", "格日勒图", "哈斯", "乌力吉", "图门", "巴音",
)
MONGOL_FEMALE = (
    "其其格", "乌兰", "萨仁", "斯琴", "高娃", "托娅", "娜仁", "格日乐", "琪琪格", "塔娜",
    "乌云", "额尔登", "阿拉坦其其格", "萨日娜", "敖登",
)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


def _han_given(rng: random.Random, gender: str) -> str:
    if rng.random() < 0.3:
        return rng.choice(HAN_SINGLE_MALE if gender == "m" else HAN_SINGLE_FEMALE)
    return rng.choice(HAN_DOUBLE_MALE if gender == "m" else HAN_DOUBLE_FEMALE)


def _dotted(given: str, father: str) -> str:
    return f"{given}{MIDDLE_DOT}{father}"


def person_name(rng: random.Random, gender: str | None = None) -> tuple[str, str]:
    """Return ``(name, ethnicity)`` drawn from the demo district's mix.

    ``gender`` is "m" or "f" (drawn when None) so that callers can keep a name consistent
    with a generated ID number. Ethnicity is one of han, uyghur, kazakh, hui, mongol.
    """
    if gender not in ("m", "f"):
        gender = "m" if rng.random() < 0.5 else "f"
    ethnicity = rng.choices(
        [code for code, _ in ETHNICITY_MIX], weights=[share for _, share in ETHNICITY_MIX], k=1
    )[0]
    if ethnicity == "han":
        name = _weighted(rng, HAN_SURNAMES) + _han_given(rng, gender)
    elif ethnicity == "uyghur":
        given = rng.choice(UYGHUR_GIVEN_MALE if gender == "m" else UYGHUR_GIVEN_FEMALE)
        father = rng.choice(UYGHUR_FATHER)
        while father == given:
            father = rng.choice(UYGHUR_FATHER)
        name = _dotted(given, father)
    elif ethnicity == "kazakh":
        given = rng.choice(KAZAKH_GIVEN_MALE if gender == "m" else KAZAKH_GIVEN_FEMALE)
        father = rng.choice(KAZAKH_FATHER)
        while father == given:
            father = rng.choice(KAZAKH_FATHER)
        name = _dotted(given, father)
    elif ethnicity == "hui":
        name = _weighted(rng, HUI_SURNAMES) + _han_given(rng, gender)
    else:
        # Mongol names are usually a single given name, without a family name.
        name = rng.choice(MONGOL_MALE if gender == "m" else MONGOL_FEMALE)
    return name, ethnicity
