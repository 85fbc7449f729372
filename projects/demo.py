"""The Wuxi demo data set, as plain Python structures (loaded by ``manage.py load_demo``).

Unions and project titles come from the field reports in ``../shared/seeds/`` (000: the 2020
roadshow, 004: the 2019 roadshow with its 16 shortlisted entries); people are invented.

A project's ``steps`` are the workflow actions that bring it to its state, run through
``projects.services`` by the proper actor so that every project has a real timeline:
``("submit",)``, ``("recommend",)``, ``("return", reason)``, ``("revise", {field: text})``,
``("approve",)``, ``("reject", reason)``, ``("shortlist",)``.
"""

from decimal import Decimal

from members.enums import JurorKind, UnionLevel

# One password for every demo user, easy to type; the command prints it with each login.
DEMO_PASSWORD = "wuxi2013"

# (name, short name, level, parent's short name)
UNIONS = [
    ("无锡市总工会", "市总", UnionLevel.MUNICIPAL, None),
    ("江阴市总工会", "江阴", UnionLevel.COUNTY, "市总"),
    ("宜兴市总工会", "宜兴", UnionLevel.COUNTY, "市总"),
    ("梁溪区总工会", "梁溪", UnionLevel.COUNTY, "市总"),
    ("锡山区总工会", "锡山", UnionLevel.COUNTY, "市总"),
    ("惠山区总工会", "惠山", UnionLevel.COUNTY, "市总"),
    ("滨湖区总工会", "滨湖", UnionLevel.COUNTY, "市总"),
    ("新吴区总工会", "新吴", UnionLevel.COUNTY, "市总"),
    ("经开区总工会", "经开区", UnionLevel.COUNTY, "市总"),
    ("中国电子科技集团公司第五十八研究所工会", "中科芯58所", UnionLevel.DIRECT, "市总"),
    ("中国电信无锡分公司工会", "电信公司", UnionLevel.DIRECT, "市总"),
    ("无锡市公安局工会", "市公安局", UnionLevel.DIRECT, "市总"),
    ("惠山区洛社镇总工会", "洛社镇", UnionLevel.TOWN, "惠山"),
    ("江阴市澄江街道总工会", "澄江街道", UnionLevel.TOWN, "江阴"),
    ("杜邦兴达（无锡）单丝有限公司工会", "杜邦兴达", UnionLevel.GRASSROOTS, "洛社镇"),
    ("无锡宝锡保安服务有限公司工会", "宝锡保安", UnionLevel.GRASSROOTS, "梁溪"),
]

# (username, real name, union short name or None, roles, juror kind, phone)
USERS = [
    ("admin", "王立新", "市总", ["admin"], "", "13901510001"),
    ("jiangyin_admin", "周建华", "江阴", ["county_admin"], "", "13901510011"),
    ("huishan_admin", "顾伟", "惠山", ["county_admin"], "", "13901510015"),
    ("jiangyin", "夏敏", "江阴", ["staff"], "", "13901510021"),
    ("yixing", "许芳", "宜兴", ["staff"], "", "13901510022"),
    ("liangxi", "唐静", "梁溪", ["staff"], "", "13901510023"),
    ("xishan", "李娜", "锡山", ["staff"], "", "13901510024"),
    ("huishan", "朱燕", "惠山", ["staff"], "", "13901510025"),
    ("binhu", "钱丽", "滨湖", ["staff"], "", "13901510026"),
    ("xinwu", "姚洁", "新吴", ["staff"], "", "13901510027"),
    ("jingkai", "孙磊", "经开区", ["staff"], "", "13901510028"),
    ("cetc58", "吴涛", "中科芯58所", ["staff"], "", "13901510031"),
    ("telecom", "蒋勇", "电信公司", ["staff"], "", "13901510032"),
    ("police", "沈刚", "市公安局", ["staff"], "", "13901510033"),
    ("luoshe", "陆红", "洛社镇", ["staff"], "", "13901510041"),
    ("chengjiang", "华玲", "澄江街道", ["staff"], "", "13901510042"),
    ("dupont", "陈茹", "杜邦兴达", ["staff"], "", "13901510051"),
    # The jury pool: 劳模先进 and 职工代表 invited by the 市总, 各市(县)区/经开区总工会负责人, 专家.
    ("juror01", "张建国", None, ["juror"], JurorKind.MODEL_WORKER, "13801510101"),
    ("juror02", "刘玉梅", None, ["juror"], JurorKind.MODEL_WORKER, "13801510102"),
    ("juror03", "赵志强", None, ["juror"], JurorKind.MODEL_WORKER, "13801510103"),
    ("juror04", "孙晓红", None, ["juror"], JurorKind.WORKER_REP, "13801510104"),
    ("juror05", "马俊", None, ["juror"], JurorKind.WORKER_REP, "13801510105"),
    ("juror06", "黄丽萍", None, ["juror"], JurorKind.WORKER_REP, "13801510106"),
    ("juror07", "徐国平", "江阴", ["juror"], JurorKind.UNION_LEADER, "13801510107"),
    ("juror08", "蒋红英", "宜兴", ["juror"], JurorKind.UNION_LEADER, "13801510108"),
    ("juror09", "邵明", "经开区", ["juror"], JurorKind.UNION_LEADER, "13801510109"),
    ("juror10", "钱文博", None, ["juror"], JurorKind.EXPERT, "13801510110"),
    ("juror11", "杨慧", None, ["juror"], JurorKind.EXPERT, "13801510111"),
    ("juror12", "林之远", None, ["juror"], JurorKind.EXPERT, "13801510112"),
]

CAMPAIGN_TITLE = "{year}年度无锡工会创新工作项目"

SUBMIT = ("submit",)
RECOMMEND = ("recommend",)
APPROVE = ("approve",)
SHORTLIST = ("shortlist",)
TO_SHORTLIST = [SUBMIT, APPROVE, SHORTLIST]


def _p(union, title, category, budget, summary, objectives="", plan="", outcomes="", steps=()):
    return {
        "union": union,
        "fields": {
            "title": title,
            "category": category,
            "budget_requested": Decimal(budget),
            "summary": summary,
            "objectives": objectives,
            "plan": plan,
            "expected_outcomes": outcomes,
        },
        "steps": list(steps),
    }


# --- 2019: the nine entries named in seeds/004 … -------------------------------------------

SEED_2019_TITLES = [
    "“江阴职工之家”微信公众号网上入会工作",
    "建立宜兴市职工（劳模）疗休养基地",
    "构建职工心理服务体系 助力梁溪心理行业健康发展",
    "锡山“两站”同建职工法律援助又添新阵地",
    "惠山“关爱·圆梦”工程之“双走进”项目",
    "滨湖“工匠小家”助推企业高质量发展",
    "新吴实施“三化”工程，推进工资集体协商全覆盖",
    "58所工会以“攻关”形式开展劳动竞赛",
    "电信公司工会“手机（网上）工会服务平台”",
]

PROJECTS_2019 = [
    _p("江阴", SEED_2019_TITLES[0], "工会自身建设", "80000.00",
       "依托“江阴职工之家”微信公众号开通网上入会通道，职工扫码即可申请入会、转接会员关系，"
       "实现入会“零距离”。",
       "全年新增网上入会会员2万人；新就业形态劳动者入会率明显提高。",
       "一季度完成入会模块开发与测试；二季度在镇街、园区推广；下半年开展“网上入会月”集中宣传。",
       "形成“线上申请、线下审核、一键转接”的入会工作机制，可在全市复制。",
       TO_SHORTLIST),
    _p("宜兴", SEED_2019_TITLES[1], "职工帮扶服务", "150000.00",
       "整合宜兴阳羡生态旅游资源，与定点疗养机构共建职工（劳模）疗休养基地，"
       "为劳模和一线职工提供疗休养服务。",
       "建成疗休养基地2个，全年组织劳模、一线职工疗休养不少于600人次。",
       "遴选合作机构并签订协议；制定疗休养对象推荐办法；分批次组织疗休养并跟踪评价。",
       "形成规范的职工疗休养制度，提升劳模和职工的获得感。",
       TO_SHORTLIST),
    _p("梁溪", SEED_2019_TITLES[2], "职工帮扶服务", "120000.00",
       "联合心理咨询行业协会，建立区、街道、企业三级职工心理服务网络，开展心理咨询师志愿服务。",
       "培育职工心理咨询师50名，建立职工心理服务站10个。",
       "组建心理服务专家库；在重点企业设立心理服务站；开展心理健康讲座和一对一咨询。",
       "职工心理问题早发现、早干预，助力心理服务行业规范发展。",
       [SUBMIT, ("return", "请补充心理服务站的选点标准和经费测算。"),
        ("revise", {"plan": "组建心理服务专家库；按职工规模和行业风险选定10家重点企业设立心理服务站"
                            "（每站经费约8000元）；开展心理健康讲座和一对一咨询。"}),
        SUBMIT, APPROVE, SHORTLIST]),
    _p("锡山", SEED_2019_TITLES[3], "维权服务工作", "90000.00",
       "在劳动争议调解中心和法律服务站“两站”同建职工法律援助工作站，为职工提供一站式法律服务。",
       "建成职工法律援助工作站8个，全年办理法律援助案件100件以上。",
       "与司法局联合挂牌；选聘驻站律师；建立案件登记、指派、回访制度。",
       "职工维权“最多跑一次”，劳动争议化解在基层。",
       TO_SHORTLIST),
    _p("惠山", SEED_2019_TITLES[4], "职工帮扶服务", "100000.00",
       "“关爱·圆梦”工程推进“双走进”：工会干部走进困难职工家庭、走进企业车间，精准了解需求，"
       "帮助职工圆梦。",
       "走访困难职工家庭300户，帮助100名职工实现“微心愿”。",
       "建立走访台账；征集职工心愿；链接社会资源认领；年底开展圆梦成果展示。",
       "困难职工帮扶由“节日送温暖”变为“常态化精准帮扶”。",
       TO_SHORTLIST),
    _p("滨湖", SEED_2019_TITLES[5], "劳动技能竞赛", "110000.00",
       "在规上企业建设“工匠小家”，以劳模、工匠带徒传技，开展技术革新和岗位练兵。",
       "建成“工匠小家”20个，培养青年技术骨干200名，形成技术革新成果30项。",
       "制定“工匠小家”建设标准；评选命名并给予经费支持；组织成果交流和技能比武。",
       "以工匠精神助推企业高质量发展，形成可推广的建设标准。",
       TO_SHORTLIST),
    _p("新吴", SEED_2019_TITLES[6], "维权服务工作", "100000.00",
       "实施指导规范化、协商程序化、履约常态化“三化”工程，推进工资集体协商全覆盖。",
       "已建会企业工资集体协商覆盖率达到95%以上。",
       "培训协商指导员；分行业开展集体协商示范；建立履约监督检查制度。",
       "工资集体协商由“签了就行”变为“谈出实效”。",
       TO_SHORTLIST),
    _p("中科芯58所", SEED_2019_TITLES[7], "劳动技能竞赛", "80000.00",
       "围绕科研生产重点难点，以“攻关”形式开展劳动竞赛，设立攻关课题并组织团队揭榜。",
       "设立攻关课题15项，完成率90%以上，形成专利和工艺改进成果。",
       "征集课题；团队揭榜；季度讲评；年度评选优秀攻关成果并表彰。",
       "劳动竞赛与科研生产深度融合，激发职工创新创造活力。",
       TO_SHORTLIST),
    _p("电信公司", SEED_2019_TITLES[8], "工会自身建设", "70000.00",
       "建设“手机（网上）工会服务平台”，会员通过手机办理入会、申请帮扶、参加活动和建言献策。",
       "平台注册会员覆盖率达到90%，线上办理工会业务1万件次。",
       "需求调研；平台开发与上线；各分支机构工会推广使用；根据反馈迭代。",
       "工会服务“掌上办”，让会员随时随地找到工会。",
       TO_SHORTLIST),
    # … and seven more of the 16 shortlisted (the seed: 7 county unions, 58所 and 电信公司).
    _p("江阴", "强化上市公司职工董事、监事源头维权机制", "维权服务工作", "60000.00",
       "在上市公司推行职工董事、职工监事制度，从公司治理源头维护职工权益。",
       steps=TO_SHORTLIST),
    _p("宜兴", "探索县级市组建产业工会新模式", "工会自身建设", "60000.00",
       "按产业链组建陶瓷、环保等产业工会，探索县级市产业工会组建和运行新模式。",
       steps=TO_SHORTLIST),
    _p("梁溪", "保安服务行业工会联合会建会入会全覆盖", "工会自身建设", "50000.00",
       "组建区保安服务行业工会联合会，覆盖23家保安公司、1.2万名保安员。",
       steps=TO_SHORTLIST),
    _p("锡山", "“关爱职工胃肠健康”早癌公益筛查", "职工帮扶服务", "90000.00",
       "联合医疗机构为辖区职工开展胃肠道早癌公益筛查，为企业减负，守护职工健康。",
       steps=TO_SHORTLIST),
    _p("惠山", "“车间课堂”职工素质提升行动", "思想政治引领", "50000.00",
       "把课堂搬进车间，围绕文明创建、安全生产、法律知识开展职工宣讲和知识竞赛。",
       steps=TO_SHORTLIST),
    _p("新吴", "物流行业工会联合会 货车司机快递员入会服务", "工会自身建设", "60000.00",
       "组建区物流行业工会联合会，集中推进货车司机、快递员等群体入会并提供服务。",
       steps=TO_SHORTLIST),
    _p("中科芯58所", "“幸福工程”员工关爱体系建设", "职工帮扶服务", "70000.00",
       "建设“幸福工程”，在食堂、补充医疗、困难补助、文体协会等方面系统关爱员工。",
       steps=TO_SHORTLIST),
    # Seven more in other states.
    _p("经开区", "新就业形态劳动者服务驿站", "职工帮扶服务", "40000.00",
       "在商圈、物流园设立服务驿站，为外卖骑手、网约车司机提供歇脚、饮水、充电服务。"),
    _p("市公安局", "民警心理减压室建设", "职工帮扶服务", "50000.00",
       "在基层所队建设心理减压室，配备心理测评和放松设备。",
       steps=[SUBMIT, ("return", "请补充实施计划和经费测算。")]),
    _p("澄江街道", "街道劳动争议调解室规范化建设", "维权服务工作", "30000.00",
       "按统一标准建设街道、社区两级劳动争议调解室，规范调解流程和台账。",
       steps=[SUBMIT]),
    _p("经开区", "经开区职工技能提升“夜校”", "劳动技能竞赛", "40000.00",
       "开设职工夜校，组织数控、电工等技能培训，培训合格后推荐参加技能等级认定。",
       steps=[SUBMIT, APPROVE]),
    _p("市公安局", "“爱警暖警”民警子女暑托班", "职工帮扶服务", "30000.00",
       "暑期为民警子女开设托管班，解决民警暑期子女看护难题。",
       steps=[SUBMIT, APPROVE]),
    _p("杜邦兴达", "安全生产1000天零事故班组创建", "劳动技能竞赛", "20000.00",
       "以班组为单位开展安全生产“零事故”创建，完善应急预案并定期演练。",
       steps=[SUBMIT, ("reject", "属企业日常安全管理工作，创新性不足，建议参加“安康杯”竞赛。")]),
    _p("洛社镇", "“百企千人”讲文明树新风知识竞赛", "思想政治引领", "20000.00",
       "组织企业职工学习文明城市创建知识并参加知识竞赛。",
       steps=[SUBMIT, ("reject", "为单次竞赛活动，不符合项目化管理要求，建议纳入年度常规工作。")]),
]

# --- 2020: the entries of seeds/000 --------------------------------------------------------

SEED_2020_TITLES = [
    "建设职工众创之家",
    "民警健康工程：健康风险人员分类管理和跟踪干预",
    "幸福工程3.0",
    "职工健康小屋",
    "关爱职工心理健康",
    "关爱女职工行动",
    "全天候法律服务",
]

PROJECTS_2020 = [
    _p("江阴", SEED_2020_TITLES[0], "工会自身建设", "120000.00",
       "以“互联网+工会”思维，依托临港经济开发区“互联职工创客公社”和“三牛众创空间”两家企业的"
       "服务平台建设职工众创之家，实现工会工作线上线下深度融合。",
       "入驻职工创客团队30个，孵化职工创新项目20项。",
       "与两家众创空间签订共建协议；设立职工创新工作室；举办职工创新创业大赛。",
       "为职工创新创业提供场地、导师和资源对接，形成“工会+众创空间”模式。",
       TO_SHORTLIST),
    _p("市公安局", SEED_2020_TITLES[1], "职工帮扶服务", "100000.00",
       "把保证民警健康作为爱警暖警的实际举措：建立健康档案，开展健康干预，举办体质管理训练营，"
       "通过“民警健康小屋”督促定期检测，用爱警健康App加强健康宣传、提供线上就医问诊。",
       "高风险民警健康档案建档率100%，健康突发事件明显减少。",
       "体检数据分级分类；制定个人干预方案；训练营分期开展；App上线线上问诊。",
       "以“互联网+健康”有效预防和减少健康突发事件。",
       TO_SHORTLIST),
    _p("中科芯58所", SEED_2020_TITLES[2], "职工帮扶服务", "90000.00",
       "在持续两年建设“幸福工程”的基础上，以“马斯洛需求层次”为主线升级建设“幸福工程3.0”。",
       "员工满意度提高10个百分点，“职业通道”覆盖全体员工。",
       "加强员工食堂投入和管理；做好补充医疗保险和困难补助；加强“家文化”建设，发挥文体协会作用；"
       "建立“职业通道”制度，让员工实现岗位、技术、学历等的晋升。",
       "解员工痛点，促企业和谐。",
       TO_SHORTLIST),
    _p("滨湖", SEED_2020_TITLES[3], "职工帮扶服务", "80000.00",
       "在园区和规上企业建设职工健康小屋，配备自助体检设备，提供健康咨询。",
       "建成职工健康小屋30个，服务职工5万人次。",
       steps=TO_SHORTLIST),
    _p("梁溪", SEED_2020_TITLES[4], "职工帮扶服务", "70000.00",
       "延续职工心理服务体系建设，开通职工心理援助热线，开展心理健康进企业活动。",
       steps=TO_SHORTLIST),
    _p("宜兴", SEED_2020_TITLES[5], "维权服务工作", "60000.00",
       "落实《江苏省女职工劳动保护特别规定》，开展女职工权益保护、健康关爱和能力提升行动。",
       steps=TO_SHORTLIST),
    _p("锡山", SEED_2020_TITLES[6], "维权服务工作", "60000.00",
       "聘请执业律师在线上线下全天候为职工提供免费法律咨询和维权服务。",
       steps=TO_SHORTLIST),
    # Below county level: the 2020 programme asks the county to recommend first.
    _p("洛社镇", "“车间课堂”进百企", "思想政治引领", "30000.00",
       "镇总工会编制宣传手册，走进百家企业车间开展宣讲，引导职工争做文明无锡人。",
       steps=[SUBMIT, RECOMMEND, APPROVE]),
    _p("杜邦兴达", "工厂安全信息平台与员工定位卡", "劳动技能竞赛", "40000.00",
       "建立工厂安全信息平台，在员工卡内植入芯片实现实时定位，配合紧急疏散演练。",
       steps=[SUBMIT, RECOMMEND, ("return", "请说明员工定位数据的使用范围和隐私保护措施。")]),
    _p("澄江街道", "劳动关系协调员持证上岗全覆盖", "工会自身建设", "20000.00",
       "组织镇街工会干事参加劳动关系协调员（师）培训，实现持证上岗全覆盖。",
       steps=[SUBMIT]),
    _p("经开区", "经开区职工篮球联赛", "工会自身建设", "50000.00",
       "组织园区企业职工篮球联赛。",
       steps=[SUBMIT, ("reject", "属常规文体活动，创新性不足。")]),
]

# --- this year: open for filing now ---------------------------------------------------------

PROJECTS_CURRENT = [
    _p("江阴", "“律师一点通”网上维权服务专栏", "维权服务工作", "50000.00",
       "在“江阴职工之家”微信公众号推出“律师一点通”专栏，聘请10名执业律师为职工提供线上免费服务。"),
    _p("宜兴", "女职工干部赋能培训计划", "工会自身建设", "40000.00",
       "面向镇、园区、街道和企业工会女职委主任开展系列培训，提升维权履职能力。",
       "全年培训女职工干部300人次。",
       "邀请党校讲师和律师协会专家授课；开展案例研讨；年底考核评估。",
       steps=[SUBMIT]),
    _p("梁溪", "保安员职业技能竞赛", "劳动技能竞赛", "60000.00",
       "依托保安服务行业工会联合会，组织保安员职业技能竞赛。",
       steps=[SUBMIT, ("return", "请补充参赛企业范围和评分办法。")]),
    _p("新吴", "物流园区“司机之家”建设", "职工帮扶服务", "80000.00",
       "在物流园区建设“司机之家”，为货车司机提供休息、餐饮、洗浴和法律咨询服务。",
       steps=[SUBMIT, APPROVE]),
    _p("洛社镇", "“车间课堂”职工文明素养提升", "思想政治引领", "30000.00",
       "在“车间课堂”基础上开发线上课程，覆盖镇内中小企业职工。",
       steps=[SUBMIT]),
    _p("澄江街道", "街道劳动关系协调服务站", "维权服务工作", "30000.00",
       "在街道设立劳动关系协调服务站，由持证协调员提供劳动关系咨询和调解。",
       steps=[SUBMIT, RECOMMEND]),
]


def campaigns(today):
    """The demo programmes: 2019 and 2020 (filing long closed) and this year's (open now)."""
    import datetime

    return [
        {
            "year": 2019,
            "filing_opens": datetime.date(2019, 2, 1),
            "filing_deadline": datetime.date(2019, 4, 30),
            "budget": Decimal("1000000.00"),
            "require_recommendation": False,
            "recommendation_quota": None,
            "projects": PROJECTS_2019,
        },
        {
            "year": 2020,
            "filing_opens": datetime.date(2020, 3, 1),
            "filing_deadline": datetime.date(2020, 5, 31),
            "budget": Decimal("1000000.00"),
            "require_recommendation": True,
            "recommendation_quota": 2,
            "projects": PROJECTS_2020,
        },
        {
            "year": today.year,
            "filing_opens": datetime.date(today.year, 1, 1),
            "filing_deadline": datetime.date(today.year, 12, 31),
            "budget": Decimal("1000000.00"),
            "require_recommendation": True,
            "recommendation_quota": 3,
            "projects": PROJECTS_CURRENT,
        },
    ]
