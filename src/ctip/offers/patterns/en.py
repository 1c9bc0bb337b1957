"""English phrase patterns (also applied to every other language: posts mix languages)."""

# ruff: noqa: E501  (a table of patterns)

PATTERNS: dict[str, dict[str, list[str]]] = {
    "C2": {
        "no_experience": [
            r"no (?:prior |previous |work )?experience(?: is)?(?: needed| required| necessary)?",
            r"(?:experience|skills?) (?:is |are )?not (?:needed|required|necessary)",
            r"without experience",
        ],
        "no_degree": [
            r"no (?:degree|diploma|qualifications?|skills?|education)(?: is| are)?(?: needed| required| necessary)?",
        ],
        "easy_work": [
            r"easy (?:job|work|money|tasks?)",
            r"simple (?:job|work|tasks?)",
            r"light work",
        ],
        "only_basic": [
            r"(?:just|only|simple|basic) typing",
            r"(?:only |just )?(?:need|needs|have) to know (?:how to )?(?:use a |type|use )(?:phone|computer|typing|facebook)?",
            r"anyone can (?:do it|apply|do this)",
            r"(?:just|only) (?:need|bring) (?:your |ur |a )?(?:phone|id card|id|clothes)",
            r"bring only (?:your |ur )?(?:clothes|phone|id)",
        ],
        "no_language": [
            r"no (?:japanese|korean|chinese|english|language) (?:test |exam |skills? )?(?:needed|required|necessary)",
            r"(?:japanese|korean|language) (?:is )?not (?:needed|required)",
        ],
        "age_only": [
            r"age (?:only )?1[5-8] ?(?:-|–|~|to) ?[2-4]\d",
            r"(?:girls?|women|ladies) (?:aged )?1[5-8] ?(?:-|–|~|to) ?2\d",
        ],
    },
    "C3": {
        "customer_service": [
            r"customer (?:service|support|care|relations?)",
            r"\bcs (?:agent|staff|team)",
            r"client (?:relations?|support)",
        ],
        "typing": [r"typing (?:job|work|staff|clerk)s?", r"typists?", r"data entry"],
        "chat": [
            r"chat (?:operator|support|agent|staff)",
            r"online chat(?:ting)?",
            r"chatting with (?:clients|customers)",
        ],
        "sales_marketing": [
            r"tele-?(?:sales|marketing)",
            r"online (?:marketing|sales|promotion)",
            r"(?:social media|facebook|page) (?:admin|marketing)",
        ],
        "gambling": [
            r"(?:online )?(?:casino|baccarat|betting)",
            r"online gam(?:e|es|ing)",
            r"(?:casino )?dealers?",
        ],
        "crypto": [r"crypto(?:currency)? (?:trading|trader|project|investment|team)"],
        "translator": [r"translators?", r"interpreters?"],
        "it_admin": [
            r"\bit (?:staff|support|job|specialist)",
            r"\badmin\b",
            r"computer (?:job|work)",
        ],
    },
    "C4": {
        "ticket": [
            r"free (?:air ?|plane |return )?(?:tickets?|flights?|airfare|transport|travel)",
            r"(?:tickets?|flights?|airfare|travel|transport|bus)(?: is| are)?(?: fully)? (?:paid|covered|provided|included|free)(?: by (?:the )?(?:company|boss|employer))?",
            r"(?:company|we|boss|employer|he|she) (?:will )?(?:pays?|covers?|buys?|gives?) (?:for )?(?:you |u )?(?:your |ur |the |all )?(?:tickets?|flights?|travel|transport|bus)",
            r"boss pays the (?:bus|ticket|flight|car)",
            r"(?:flight|ticket)s? and (?:apartment|hotel|room|accommodation) (?:covered|paid|provided)",
        ],
        "visa": [
            r"free visa",
            r"visa (?:is )?(?:paid|covered|provided|arranged|included|free)",
            r"(?:we|company|boss|employer) (?:will )?(?:arrange|handle|process|do|get) (?:the |your |ur |you a )?(?:visa|papers|documents)",
            r"we arrange everything",
        ],
        "tourist_visa": [
            r"tourist visa",
            r"visit(?:or)? visa",
            r"(?:go|travel|enter|come) (?:as|like) a tourist",
            r"on holiday visa",
        ],
        "student_visa": [r"student visa", r"study and work", r"enrol in a (?:language )?school"],
        "pickup": [
            r"(?:pick ?(?:you |u )?up|picked up|picks (?:you |u )?up|meets? (?:you|u)|waits? for (?:you|u)) (?:at|in|outside|near) (?:the )?(?:airport|border|bus station|[a-z]+ airport)",
            r"(?:company )?car (?:will )?picks? (?:you|u) up",
            r"(?:our|a) (?:guy|man|driver|person) (?:will )?meets? (?:you|u)",
        ],
        "lodging_travel": [r"hotel (?:is )?(?:provided|paid|free)"],
    },
    "C5": {
        "hub_kh": [
            r"sihanouk ?ville",
            r"preah sihanouk",
            r"kampong som",
            r"\bsnv\b",
            r"bavet",
            r"poipet",
            r"o'? ?smach",
            r"dara sakor",
            r"kiri sakor",
            r"bokor",
            r"chroy chang ?var",
            r"koh kong",
        ],
        "hub_abroad": [
            r"myawa?ddy",
            r"shwe ?kokko",
            r"\bkk ?park",
            r"tachileik",
            r"mong ?la\b",
            r"lauk ?kai(?:ng)?",
            r"(?:northern|north) myanmar",
            r"golden triangle",
            r"ton pheung",
            r"bokeo",
            r"thai-myanmar border",
            r"myanmar border",
            r"special economic zone",
        ],
        "transit": [r"mae sot", r"mae sai", r"chiang saen", r"huay ?xai", r"houayxay"],
        "crossing": [
            r"cham yeam",
            r"prek chak",
            r"trapeang kriel",
            r"cross(?:ing)? the border(?: by road| overland| illegally| at night)?",
        ],
    },
    "C6": {
        "messenger_only": [
            r"telegram",
            r"whats ?app",
            r"wechat",
            r"\bline(?: id| app|:)",
            r"signal app",
            r"t\.me/\w+",
            r"wa\.me/\d+",
            r"\bzalo\b",
        ],
    },
    "C7": {
        "big_company": [
            r"(?:a |our )?(?:big|large|huge|foreign|chinese|reputable|online) company(?: abroad| overseas)?",
            r"chinese boss",
            r"chinese-owned company",
        ],
        "details_later": [
            r"(?:company name|details|employer|location)(?: will be)? (?:given|told|revealed|disclosed|shared) (?:later|in private|on arrival|privately)",
            r"(?:dm|pm|inbox|message) (?:me |us )?for (?:more )?(?:details|info|the form)",
            r"inbox (?:me|us)\b",
        ],
        "abroad_unnamed": [r"(?:work|jobs?|company) (?:abroad|overseas)"],
    },
    "C8": {
        "urgency": [
            r"urgent(?:ly)?(?: hiring| needed| recruitment)?",
            r"(?:leave|depart|fly|start|travel|leaving|go) (?:this|next) (?:week|weekend|friday|month)",
            r"(?:leave|depart|fly|go|leaving) (?:tomorrow|tonight|immediately|asap|right away)",
            r"(?:leaving|departure) (?:from [a-z ]+ )?(?:on|this) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
            r"departure in \d+ days",
        ],
        "limited_places": [
            r"limited (?:slots|places|seats)",
            r"only \d+ (?:slots|places|seats)",
            r"need \d+ more (?:ppl|people|workers)",
        ],
        "secrecy": [
            r"don'?t (?:tell|say to) (?:your |ur )?(?:family|parents|mom|mum|dad|anyone|friends|relatives)",
            r"dont tell",
            r"no need to tell (?:anyone|your family|people)",
            r"keep (?:it |this )?(?:secret|confidential|quiet)",
            r"delete (?:this|the|our) (?:message|chat|conversation)",
            r"don'?t post (?:this|it)",
        ],
        "lie_to_officials": [
            r"(?:say|tell (?:them|police|immigration)) (?:that )?(?:you are|you're|you go|u r|ur) (?:a |on )?(?:tourist|holiday|vacation)",
            r"(?:if|when) (?:immigration|police|customs|they) asks?,? (?:just )?say",
            r"just say (?:holiday|tourist|visiting)",
        ],
    },
    "C9": {
        "fee": [
            r"(?:registration|processing|recruitment|training|visa|medical|placement|agency|service|admin|document) (?:fees?|costs?)",
            r"(?:registration|processing|recruitment|training|visa|placement|agency|document) charges?",
            r"pay (?:a |the )?(?:fee|fees)",
            r"must pay \$?\d+",
            r"pay \d[\d,.]* ?(?:usd|\$|baht|dollars?|yuan)? ?(?:to|for)",
        ],
        "broker_fee": [
            r"(?:broker|agent|agency|middleman)(?:'s)? (?:fee|cost|commission)s?",
            r"pay (?:him|her|the agent|our agent|my boss|the broker)",
        ],
        "deposit": [r"deposits?", r"top ?up \d", r"top ?up (?:your )?account"],
        "advance_debt": [
            r"pay (?:it )?back",
            r"repa(?:y|id)",
            r"debts?",
            r"you owe",
            r"\bowe\b",
            r"advances? (?:of|your)",
            r"(?:company|we) advances?",
            r"loan",
            r"deducted from (?:your |the )?(?:salary|wages?|pay)",
            r"(?:salary|wages?) covers? the costs",
        ],
        "penalty": [
            r"(?:penalty|compensation|fine) (?:for|if you) (?:leav|quit|break|resign)\w*",
            r"if you (?:quit|leave) (?:early|before)",
        ],
        "pay_delayed": [
            r"(?:first )?(?:salary|pay) (?:only )?(?:after|from) (?:the )?(?:first |second |third )?\d? ?months?",
            r"paid (?:when you come back|at the end of (?:the )?contract|on return)",
            r"salary paid at (?:the )?end",
        ],
    },
    "C10": {
        "passport_photo": [
            r"(?:send|give|show|submit) (?:us |me )?(?:a )?(?:photo|picture|pic|copy|scan) of (?:your |ur )?passport",
            r"(?:first|main|photo) page of (?:your |ur )?passport",
            r"(?:selfie|photo) (?:holding|with) (?:it|(?:your |ur )?passport)",
            r"passport (?:photo|picture|pic|page)",
            r"picture of (?:your |ur )?passport",
        ],
        "id_photo": [
            r"(?:photo|picture|pic|copy|scan) of (?:your |ur )?(?:id|id card|national id|identity card)",
            r"id card (?:both sides|front and back)",
            r"(?:only|just) (?:need|bring) (?:your |ur )?id",
        ],
        "passport_kept": [
            r"(?:company|we|boss|employer|hr|agency) (?:will )?(?:keeps?|holds?|takes?|collects?) (?:your |ur |the )?passports?",
            r"keep (?:your |ur )?passport safe",
            r"hand (?:over )?(?:your )?passport",
            r"passports? (?:will be |are )?(?:kept|held|collected)",
            r"(?:employer|agency|company) keeps (?:the )?documents",
        ],
    },
    "C11": {
        "board_lodging": [
            r"(?:free )?(?:food|meals?|board) (?:and|&) (?:accommodation|lodging|housing|dormitory|room)",
            r"board and lodging",
            r"\+ ?dorm",
            r"room and food",
        ],
        "closed": [
            r"(?:live|stay|sleep) (?:inside|in) the (?:compound|company|office|building)",
            r"closed(?:-| )(?:management|campus|compound|environment)",
            r"(?:not allowed|cannot|can't) (?:to )?(?:go out|leave the)",
        ],
        "no_phone": [
            r"no (?:personal )?(?:phones?|mobiles?)",
            r"phones? (?:will be )?(?:collected|taken)",
        ],
        "long_hours": [
            r"1[2-6] ?(?:-| )?(?:hours?|hrs?|h) ?(?:shifts?|a day|per day|daily|/day)",
            r"1[2-6]-hour shifts?",
            r"(?:work|working) 7 days",
            r"1[2-6]h, [67] days",
        ],
    },
    "C12": {
        "crypto_pay": [
            r"\busdt\b",
            r"tether",
            r"trc-?20",
            r"erc-?20",
            r"crypto (?:wallet|payment|salary)",
            r"paid in (?:crypto|bitcoin|btc|usdt)",
        ],
    },
    "C13": {
        "bride_price": [
            r"bride ?price",
            r"dowry",
            r"(?:husband|groom)'?s? family (?:gives|pays)",
            r"gives? \$?\d[\d,.]* ?(?:usd|\$|yuan)? to (?:your |ur )?parents",
        ],
        "husband_abroad": [
            r"(?:marry|marrying) (?:a )?(?:good |rich |kind )?(?:chinese|korean|taiwanese|foreign) (?:husbands?|man|men)",
            r"(?:chinese|korean|taiwanese|foreign) husbands?",
            r"looking for a wife",
            r"find (?:a |you a )?(?:wife|husband)",
        ],
        "matchmaking": [r"match ?making", r"marriage (?:broker|agency|introduction)"],
    },
    "C14": {
        "fishing_boat": [
            r"fishing (?:boats?|vessels?|crew)",
            r"boat work",
            r"deep-sea",
            r"crew wanted",
            r"(?:work|job) on (?:a |the )?(?:boat|ship|vessel)",
        ],
        "months_at_sea": [
            r"\d+ (?:months|years) at sea",
            r"months at sea",
            r"(?:thai|malaysian|indonesian) waters",
        ],
        "transfer_at_sea": [
            r"transfer(?:red)? (?:to (?:a |the )?(?:mother ship|another boat) )?at sea",
            r"mother ship",
        ],
    },
    "C15": {
        "no_passport": [
            r"no passport(?: needed| required| no problem)?",
            r"(?:passport|visa) (?:is )?not (?:needed|required)",
            r"without (?:a )?passport",
        ],
        "informal_crossing": [
            r"(?:across|cross|over) the (?:river|forest|mountain|jungle)",
            r"by (?:the )?(?:river|forest road|jungle|back road)s?",
            r"forest (?:road|path)",
            r"at night by boat",
            r"walks? (?:you )?(?:over|across)",
            r"handle (?:the )?crossing",
            r"(?:we|they) (?:take|bring) (?:you|u) across",
        ],
        "met_at_border": [
            r"(?:someone|somebody|driver|car) waits? (?:on|at) the (?:other side|border)",
            r"waits at the border",
        ],
    },
    "C16": {
        "tasks_commission": [
            r"like and (?:rate|review|share)",
            r"rate products",
            r"(?:order|simple|daily) tasks?",
            r"commission (?:paid )?(?:daily|every day|per task|per order)",
            r"\d+% commission",
            r"complete (?:simple )?(?:order )?tasks",
        ],
        "top_up_unlock": [
            r"top ?up .{0,20}(?:to )?unlock",
            r"unlock (?:vip |more )?tasks",
            r"activate (?:your )?account",
            r"deposit (?:required )?to (?:activate|unlock|start)",
            r"vip tasks",
        ],
    },
    "C17": {
        "hostess": [
            r"hostess(?:es)?",
            r"\bktv\b",
            r"bar (?:job|girls?|work)",
            r"drink(?:s|ing)? (?:companion|with customers)",
            r"money from drinks",
            r"from (?:the )?tips",
        ],
        "modelling": [
            r"model(?:l)?ing (?:contract|job|work)",
            r"photo shoots? and events",
            r"pretty girls",
            r"young women",
        ],
        "body_photos": [
            r"full[- ]body (?:photos?|pictures?)",
            r"send (?:your )?(?:sexy |bikini )?photos",
        ],
    },
    "C18": {
        "relative_friend": [
            r"my (?:cousin|brother|sister|aunt|auntie|uncle|friend|neighbou?r)(?:'s [a-z]+)? (?:works|is working|says|knows)",
            r"(?:auntie|aunt|uncle) says",
            r"her son works",
            r"from our village",
            r"(?:she|he) will take us",
            r"i'?m working (?:in|here)",
            r"im working in",
        ],
        "bring_friend": [r"bring a friend", r"bring (?:your |ur )?friends?"],
    },
    "C19": {
        "no_exam": [
            r"without (?:the )?(?:eps|topik|jlpt|language) (?:exam|test)",
            r"no (?:eps |language |japanese |korean )?(?:exam|test)(?: needed| required)?",
        ],
        "guaranteed_visa": [
            r"(?:visa|job) guaranteed",
            r"guaranteed (?:visa|job|work permit)",
            r"100 ?% (?:sure|visa|guaranteed)",
            r"sure visa",
        ],
        "no_legal_route": [
            r"no mou(?: needed)?",
            r"mou not needed",
            r"no (?:work )?permit (?:needed|required)",
            r"no agency licen[cs]e needed",
        ],
        "change_visa_later": [
            r"change (?:it |your status |the visa )?(?:to (?:a )?work visa )?(?:there|later|after arrival)",
            r"changes? your status later",
            r"start work on arrival",
        ],
    },
    "C20": {
        "domestic_abroad": [
            r"housemaids?",
            r"domestic (?:helpers?|workers?|work)",
            r"maids? for (?:a )?famil(?:y|ies)",
            r"caregivers?",
        ],
    },
}
