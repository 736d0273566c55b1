"""Source data for the bundled vocmine samples.

Everything under ``data/samples/inbox`` and ``data/samples/reference`` is
generated from this module by ``generate.py``.  The company ("Northstar"),
agents, customers and all identifiers are fictional.

CALLS
    One dict per call:
      stem        file stem of the audio file in inbox/calls/
      format      wav | flac | mp3 | m4a | ogg  (container / codec, see generate.py)
      sample_rate 16000 or 8000 (8000 = telephone quality, band-limited)
      encoding    for wav only: "u-law" (G.711 mu-law) or "pcm16"
      sidecar     True -> metadata goes into ``<stem>.json`` instead of manifest.csv
      meta        call_id, started_at, agent_id, queue, customer_id, language, campaign
      voices      espeak-ng voice per channel: agent = LEFT, customer = RIGHT
      rate        espeak-ng speed (words per minute) per speaker
      turns       [(speaker, text)], speaker in {"agent", "customer"}

FEEDBACK_EN / FEEDBACK_KO
    Text feedback items; ids, timestamps, agent ids and customer ids are
    assigned deterministically by generate.py.
"""

COMPANY = "Northstar"

CALLS = [
    {
        "stem": "call_billing_double_charge",
        "format": "m4a",
        "sample_rate": 16000,
        "meta": {
            "call_id": "CALL-2026-11-0001",
            "started_at": "2026-11-16T09:14:32-05:00",
            "agent_id": "AG-101",
            "queue": "billing",
            "customer_id": "CUST-20417",
            "language": "en",
            "campaign": "fall_retention_2026",
        },
        "voices": {"agent": "en-us+f3", "customer": "en-gb+m3"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            ("agent", "Thank you for calling Northstar, my name is Maria, how can I help you today?"),
            (
                "customer",
                "Hi Maria. I'm calling because I was charged twice for my monthly bill. "
                "I see two payments for the same amount on my bank statement, and I only have one account.",
            ),
            (
                "agent",
                "I'm sorry about that, I understand how frustrating a double charge is. "
                "Let me pull up your account and check the payments.",
            ),
            ("customer", "Thank you. Both charges came out on the same day."),
            (
                "agent",
                "I can see the duplicate payment here. The payment was processed twice because of a system error. "
                "I have submitted a refund for the second charge.",
            ),
            ("customer", "Okay. How long will the refund take? I really need that money back."),
            (
                "agent",
                "The refund should appear on your card within a week. "
                "I have also added a small credit to your account for the trouble.",
            ),
            ("customer", "Alright, thank you. I hope this doesn't happen again."),
            ("agent", "I completely understand. Is there anything else I can help you with?"),
            ("customer", "No, that's everything."),
            ("agent", "Thank you for calling Northstar, have a great day."),
        ],
    },
    {
        "stem": "call_internet_outage",
        "format": "mp3",
        "sample_rate": 16000,
        "meta": {
            "call_id": "CALL-2026-11-0002",
            "started_at": "2026-11-16T11:02:10-05:00",
            "agent_id": "AG-104",
            "queue": "tech_support",
            "customer_id": "CUST-20533",
            "language": "en",
            "campaign": "",
        },
        # clearly different pair: male agent, female customer
        "voices": {"agent": "en-us+m3", "customer": "en-us+f2"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            (
                "agent",
                "Thank you for calling Northstar technical support, my name is Daniel, how can I help?",
            ),
            (
                "customer",
                "Hi, my internet has been down since this morning. The router light is blinking red and nothing works. "
                "I work from home, so this outage is a big problem for me.",
            ),
            (
                "agent",
                "I'm sorry to hear that. There is a known outage in your area caused by a damaged cable. "
                "Our technicians are working on it right now.",
            ),
            ("customer", "This is the second outage this month. How long is it going to take?"),
            (
                "agent",
                "The estimated repair time is about four hours. When the service is back, "
                "please restart your router by unplugging it for a minute.",
            ),
            ("customer", "Four hours? That is really not acceptable. I'm paying for a service I can't use."),
            (
                "agent",
                "I understand, and I apologize. I have applied a service credit to your account, "
                "and we will send you a text message as soon as the outage is fixed.",
            ),
            ("customer", "Fine. Please make sure someone actually fixes the cable this time."),
            ("agent", "Absolutely. Thank you for your patience, and have a good day."),
        ],
    },
    {
        "stem": "call_cancellation_fee",
        "format": "wav",
        "encoding": "u-law",
        "sample_rate": 8000,
        "meta": {
            "call_id": "CALL-2026-11-0003",
            "started_at": "2026-11-16T15:47:55-05:00",
            "agent_id": "AG-107",
            "queue": "retention",
            "customer_id": "CUST-20871",
            "language": "en",
            "campaign": "fall_retention_2026",
        },
        "voices": {"agent": "en-gb+m1", "customer": "en-us+m5"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            ("agent", "Thank you for calling Northstar, my name is Kevin, how can I help you?"),
            ("customer", "I want to cancel my contract. I'm moving to another provider."),
            ("agent", "I'm sorry to hear you want to leave. May I ask why you want to cancel?"),
            ("customer", "The price went up again and the service keeps dropping. Honestly, I'm done."),
            (
                "agent",
                "I understand. I have to let you know there is an early termination fee, "
                "because your contract does not end until March.",
            ),
            (
                "customer",
                "A cancellation fee? Nobody told me about that when I signed up. That's ridiculous.",
            ),
            (
                "agent",
                "I can waive half of the early termination fee, or give you a lower monthly price if you stay.",
            ),
            ("customer", "No thanks. Just cancel it, please."),
            (
                "agent",
                "Okay, your cancellation is confirmed for the end of this month. Thank you for calling Northstar, goodbye.",
            ),
        ],
    },
    {
        "stem": "call_agent_praise",
        "format": "ogg",
        "sample_rate": 16000,
        "meta": {
            "call_id": "CALL-2026-11-0004",
            "started_at": "2026-11-17T10:21:40-05:00",
            "agent_id": "AG-102",
            "queue": "tech_support",
            "customer_id": "CUST-21004",
            "language": "en",
            "campaign": "",
        },
        "voices": {"agent": "en-us+f4", "customer": "en-gb-x-rp+m2"},
        "rate": {"agent": 155, "customer": 155},
        "turns": [
            ("agent", "Thank you for calling Northstar, my name is Sarah, how can I help you today?"),
            (
                "customer",
                "Hi Sarah. Actually, I'm calling to say thank you. I spoke with an agent called Tom yesterday "
                "about my TV box, and he was incredibly helpful.",
            ),
            ("agent", "That's wonderful to hear, thank you for letting us know."),
            (
                "customer",
                "He was patient, he explained everything clearly, and the problem was fixed in ten minutes. "
                "Great service, honestly the best support I have had in years.",
            ),
            (
                "agent",
                "I will make sure Tom and his manager get your feedback. Is the TV box still working well?",
            ),
            ("customer", "Yes, it works perfectly now. Everything is great."),
            ("agent", "I'm so glad. Is there anything else I can help you with?"),
            ("customer", "No, that's all. Thanks again, you guys are great."),
            ("agent", "Thank you for calling, and have a lovely evening."),
        ],
    },
    {
        "stem": "call_transfer",
        "format": "flac",
        "sample_rate": 16000,
        "sidecar": True,  # not in manifest.csv; metadata in call_transfer.json
        "meta": {
            "call_id": "CALL-2026-11-0005",
            "started_at": "2026-11-17T13:36:18-05:00",
            "agent_id": "AG-105",
            "queue": "tech_support",
            "customer_id": "CUST-21176",
            "language": "en",
        },
        "voices": {"agent": "en-gb+m3", "customer": "en-us+f1"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            ("agent", "Thank you for calling Northstar technical support, my name is James, how can I help?"),
            (
                "customer",
                "Hi, I have a question about a charge on my invoice. There is a fee for international roaming, "
                "but I did not travel anywhere.",
            ),
            (
                "agent",
                "I'm sorry for the confusion. Roaming charges are handled by our billing department, "
                "so I will need to transfer you to a billing specialist.",
            ),
            (
                "customer",
                "Oh, okay. Will I have to wait on hold for a long time? I already waited twenty minutes.",
            ),
            (
                "agent",
                "I apologize for the long hold time. I will do a warm transfer and explain your question, "
                "so you won't have to repeat it.",
            ),
            ("customer", "Okay, thank you."),
            (
                "agent",
                "Please stay on the line while I transfer you to billing. Thank you for your patience.",
            ),
        ],
    },
    {
        "stem": "call_late_delivery",
        "format": "flac",
        "sample_rate": 8000,
        "meta": {
            "call_id": "CALL-2026-11-0006",
            "started_at": "2026-11-19T09:05:03-05:00",
            "agent_id": "AG-103",
            "queue": "orders",
            "customer_id": "CUST-21342",
            "language": "en",
            "campaign": "holiday_devices_2026",
        },
        "voices": {"agent": "en-gb+f2", "customer": "en-us+m2"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            ("agent", "Thank you for calling Northstar, my name is Priya, how can I help you?"),
            (
                "customer",
                "Hello. I ordered a new phone two weeks ago and it still hasn't arrived. "
                "The tracking page has said in transit for over a week.",
            ),
            ("agent", "I'm sorry your delivery is late. Let me check the order status for you."),
            ("customer", "Thanks. I was told it would be delivered within three days."),
            (
                "agent",
                "I can see the package was delayed at the courier warehouse. I have contacted the courier, "
                "and the new delivery date is this Friday. I have also upgraded you to express shipping at no cost.",
            ),
            ("customer", "Okay, that helps. But I am disappointed, the delivery was promised last week."),
            (
                "agent",
                "I understand, and I apologize for the delay. You will receive an email with the new tracking number today.",
            ),
            ("customer", "Alright, thank you."),
            ("agent", "Thank you for your patience, and have a nice day."),
        ],
    },
    {
        "stem": "call_password_lockout",
        "format": "ogg",
        "sample_rate": 16000,
        "meta": {
            "call_id": "CALL-2026-11-0007",
            "started_at": "2026-11-19T14:28:47-05:00",
            "agent_id": "AG-106",
            "queue": "accounts",
            "customer_id": "CUST-21590",
            "language": "en",
            "campaign": "",
        },
        "voices": {"agent": "en-us+f5", "customer": "en-us+m7"},
        "rate": {"agent": 155, "customer": 155},
        "turns": [
            ("agent", "Thank you for calling Northstar, my name is Emma, how can I help?"),
            (
                "customer",
                "Hi, I'm locked out of my online account. I tried to reset my password three times "
                "and now it says my account is locked.",
            ),
            (
                "agent",
                "I'm sorry about that. For security, the account locks after too many failed login attempts. "
                "I can help you unlock it. Can you confirm the phone number on the account?",
            ),
            # the only personal data in the calls: spoken phone number, for the redaction demo
            ("customer", "Sure, my number is five five five, two one three, four four seven eight."),
            (
                "agent",
                "Thank you, that matches. I have unlocked your account and sent a password reset link to your email.",
            ),
            ("customer", "Great. The reset link didn't work last time, though."),
            (
                "agent",
                "The old link expired after fifteen minutes. The new one is valid for one hour. "
                "Please also turn on two step verification to keep your account safe.",
            ),
            ("customer", "Okay, I got the email. I'm logged in now. Thank you, that was quick."),
            ("agent", "You're welcome. Thank you for calling Northstar, goodbye."),
        ],
    },
    {
        "stem": "call_plan_upgrade",
        "format": "m4a",
        "sample_rate": 16000,
        "meta": {
            "call_id": "CALL-2026-11-0008",
            "started_at": "2026-11-19T16:52:29-05:00",
            "agent_id": "AG-108",
            "queue": "sales",
            "customer_id": "CUST-21733",
            "language": "en",
            "campaign": "holiday_devices_2026",
        },
        "voices": {"agent": "en-us+m1", "customer": "en-gb+f4"},
        "rate": {"agent": 155, "customer": 160},
        "turns": [
            ("agent", "Thank you for calling Northstar sales, my name is Lucas, how can I help you today?"),
            (
                "customer",
                "Hi, I'd like to upgrade my mobile plan. I keep running out of data before the end of the month.",
            ),
            (
                "agent",
                "Of course, I can help with that. You're currently on the basic plan. "
                "Our unlimited plan includes unlimited data and calls, for thirty dollars more per month.",
            ),
            ("customer", "Is there anything in between? Unlimited sounds a bit expensive."),
            (
                "agent",
                "Yes, the plus plan gives you three times more data for ten dollars more per month. "
                "The upgrade would start today, with no new contract.",
            ),
            ("customer", "That sounds good. Let's do the plus plan."),
            (
                "agent",
                "Great, your upgrade is done. You'll see the new price on your next bill. "
                "Is there anything else I can help you with?",
            ),
            ("customer", "No, that's perfect, thanks for your help."),
            ("agent", "Thank you for choosing Northstar, enjoy your new plan."),
        ],
    },
]


# ---------------------------------------------------------------------------
# English text feedback: (channel, queue, nps or None, text)
# nps only on survey items.
# ---------------------------------------------------------------------------
FEEDBACK_EN = [
    # --- double charge / refund -------------------------------------------
    (
        "email",
        "billing",
        None,
        "I was charged twice for my November bill. Please refund the duplicate payment as soon as possible.",
    ),
    (
        "chat",
        "billing",
        None,
        "Hi, my card was charged twice this month. Can you check my account and refund the second charge?",
    ),
    (
        "survey",
        "billing",
        2,
        "Charged twice again and the refund still hasn't arrived after two weeks. Very disappointed.",
    ),
    (
        "email",
        "billing",
        None,
        "This is the third time I am writing about the double charge. I was promised a refund in five days and nothing has happened. Slow refund, zero communication.",
    ),
    (
        "survey",
        "billing",
        6,
        "The agent found the double charge quickly and issued a refund, but it took ten days to show up on my card.",
    ),
    (
        "chat",
        "billing",
        None,
        "Why is my bill higher than last month? I think I was charged twice for the router rental.",
    ),
    (
        "email",
        "billing",
        None,
        "You charged me twice and my bank added an overdraft fee. I expect a full refund including the overdraft fee. You can reach me at jane.doe@example.com.",
    ),
    (
        "survey",
        "billing",
        9,
        "Quick refund after I was charged twice. The billing agent was friendly and fixed it in one call.",
    ),
    (
        "chat",
        "billing",
        None,
        "The refund for the duplicate charge was approved last week. When will I actually see the money?",
    ),
    (
        "email",
        "billing",
        None,
        "Please stop charging my old card. Card number 4111 1111 1111 1111 was cancelled and I was charged twice on it anyway. I want a refund.",
    ),
    # --- outage / router -----------------------------------------------------
    (
        "chat",
        "tech_support",
        None,
        "Internet outage again since 7am. The router light is red. Is there an outage in my area?",
    ),
    (
        "survey",
        "tech_support",
        1,
        "Third outage this month. I restarted the router like support told me and nothing changed. I work from home and this is unacceptable.",
    ),
    (
        "email",
        "tech_support",
        None,
        "Our internet keeps dropping every evening. We replaced the router cable and rebooted the router many times. Please send a technician.",
    ),
    (
        "chat",
        "tech_support",
        None,
        "Is the outage in the north district fixed yet? My router still shows no connection.",
    ),
    (
        "survey",
        "tech_support",
        8,
        "There was an outage but the technician came the next day, replaced the router and everything works now. Good service.",
    ),
    (
        "survey",
        "tech_support",
        3,
        "The outage lasted two days and nobody told us when it would be fixed. The status page was useless.",
    ),
    (
        "email",
        "tech_support",
        None,
        "Wifi is very slow upstairs. Do you offer a mesh router or a signal booster?",
    ),
    (
        "chat",
        "tech_support",
        None,
        "My new router arrived but the setup guide is confusing. Which cable goes into which port?",
    ),
    (
        "survey",
        "tech_support",
        7,
        "The agent was nice but the problem is still not fixed. The router still disconnects every few hours.",
    ),
    # --- cancellation / early termination fee -----------------------------------
    (
        "email",
        "retention",
        None,
        "I want to cancel my contract. Nobody told me about the early termination fee when I signed up.",
    ),
    (
        "survey",
        "retention",
        0,
        "Tried to cancel and was hit with an early termination fee of 150 dollars. Never again.",
    ),
    (
        "chat",
        "retention",
        None,
        "How much is the early termination fee if I cancel now? My contract ends in March.",
    ),
    (
        "email",
        "retention",
        None,
        "I am moving abroad and need to cancel. Can the early termination fee be waived in this case?",
    ),
    (
        "survey",
        "retention",
        4,
        "The retention agent kept pushing offers when I just wanted to cancel. The cancellation took forty minutes.",
    ),
    (
        "survey",
        "retention",
        8,
        "I called to cancel but the agent offered a better price and waived the fee, so I decided to stay.",
    ),
    (
        "chat",
        "retention",
        None,
        "Please cancel my TV package at the end of the month. I will keep the internet.",
    ),
    # --- long hold times --------------------------------------------------------
    (
        "survey",
        "billing",
        2,
        "I was on hold for 45 minutes before anyone answered. Long hold times every single time I call.",
    ),
    (
        "survey",
        "tech_support",
        3,
        "Hold time was over an hour, then the call dropped and I had to start again.",
    ),
    (
        "email",
        "billing",
        None,
        "Your hold times are ridiculous. I waited 50 minutes just to ask about my bill.",
    ),
    ("survey", "sales", 5, "Long wait on hold, but once I got through the agent was helpful."),
    # --- rude agent --------------------------------------------------------------
    ("survey", "billing", 1, "The agent was rude and hung up on me when I asked about the double charge."),
    (
        "email",
        "tech_support",
        None,
        "I want to complain about a rude agent. He interrupted me, was sarcastic, and refused to escalate my outage ticket.",
    ),
    (
        "survey",
        "retention",
        2,
        "Rude agent, no empathy at all. I just wanted to cancel without being lectured.",
    ),
    # --- praise ------------------------------------------------------------------
    (
        "survey",
        "tech_support",
        10,
        "Amazing support! The agent fixed my TV box in ten minutes and explained everything clearly.",
    ),
    ("survey", "accounts", 10, "Quick fix for my locked account. Very helpful agent, thank you."),
    (
        "chat",
        "sales",
        None,
        "Thanks for the help with the plan upgrade, the agent was super friendly and patient.",
    ),
    ("survey", "orders", 9, "Helpful agent, she upgraded my shipping for free after the delivery was late."),
    (
        "email",
        "tech_support",
        None,
        "I want to thank Tom from technical support. He was patient and helpful and solved a problem nobody else could fix.",
    ),
    ("survey", "billing", 9, "Fast and friendly service. My billing question was answered in two minutes."),
    ("survey", "sales", 10, "Great service, easy upgrade, no hidden fees. Highly recommend."),
    # --- late delivery -----------------------------------------------------------
    (
        "email",
        "orders",
        None,
        "My phone order is two weeks late and the tracking page hasn't changed in eight days. Where is my delivery?",
    ),
    (
        "chat",
        "orders",
        None,
        "The courier says the package was delivered but I never received it. Please help.",
    ),
    (
        "survey",
        "orders",
        3,
        "Delivery was promised in three days and took almost three weeks. Nobody called to explain the delay.",
    ),
    # --- password / account lockout ------------------------------------------------
    (
        "chat",
        "accounts",
        None,
        "I'm locked out of my account after too many login attempts. The password reset link doesn't work.",
    ),
    (
        "email",
        "accounts",
        None,
        "The password reset email never arrives. Please call me back on 555-213-4478, I cannot log in to pay my bill.",
    ),
    (
        "survey",
        "accounts",
        6,
        "Account unlocked quickly, but the password reset link expired twice before I could use it.",
    ),
    # --- plan upgrade / sales ---------------------------------------------------------
    ("chat", "sales", None, "What is the difference between the plus plan and the unlimited plan?"),
    (
        "email",
        "sales",
        None,
        "I would like to upgrade to the unlimited plan. Will my contract be extended if I upgrade?",
    ),
    (
        "survey",
        "sales",
        4,
        "Upgraded my plan and the price on my first bill was higher than what the agent promised.",
    ),
    ("chat", "sales", None, "Do you have any discounts for students on mobile plans?"),
    # --- neutral questions ---------------------------------------------------------------
    ("chat", "billing", None, "How can I change the payment date of my monthly bill?"),
    (
        "email",
        "billing",
        None,
        "Can I get a paper invoice instead of the online invoice? Please let me know the process.",
    ),
    ("chat", "tech_support", None, "What DNS servers does Northstar use? I want to configure my own router."),
    ("chat", "orders", None, "Can I change the delivery address for an order that has already shipped?"),
    ("email", "accounts", None, "How do I add a second user to my online account?"),
    # --- mixed --------------------------------------------------------------------
    ("survey", "tech_support", 5, "The agent was nice but the problem is still not fixed after three calls."),
    (
        "survey",
        "billing",
        5,
        "Friendly agent, but I am still waiting for my refund and the hold time was long.",
    ),
    (
        "email",
        "retention",
        None,
        "The agent was polite and tried to help, but the early termination fee is still far too high, so I will cancel anyway.",
    ),
    ("survey", "orders", 6, "Delivery was late, but customer service was helpful and gave me a discount."),
    (
        "chat",
        "tech_support",
        None,
        "Internet works again after the outage, thanks. But I was never told about the outage in advance.",
    ),
]


# ---------------------------------------------------------------------------
# Korean text feedback: (channel, queue, text)
# ---------------------------------------------------------------------------
FEEDBACK_KO = [
    (
        "chat",
        "retention",
        "해지하려고 하는데 위약금이 너무 많이 나와요. 약정 기간이 3개월밖에 안 남았는데 이게 맞나요?",
    ),
    (
        "email",
        "retention",
        "가입할 때 위약금에 대한 설명을 전혀 듣지 못했습니다. 해지 위약금을 면제해 주시기 바랍니다.",
    ),
    ("survey", "retention", "해지 신청했는데 상담원이 계속 다른 요금제만 권유해서 짜증났어요."),
    ("chat", "retention", "약정 끝나면 위약금 없이 해지 가능한가요?"),
    ("chat", "tech_support", "인터넷이 오늘 아침부터 계속 끊겨요. 공유기 불이 빨간색으로 깜빡입니다."),
    ("survey", "tech_support", "이번 달에만 인터넷 장애가 세 번째입니다. 재택근무 하는데 너무 불편합니다."),
    (
        "email",
        "tech_support",
        "저녁마다 인터넷이 끊깁니다. 공유기 재부팅도 여러 번 해봤는데 소용없어요. 기사님 방문 요청드립니다.",
    ),
    ("chat", "tech_support", "우리 동네 인터넷 장애 언제 복구되나요?"),
    ("survey", "tech_support", "장애 복구가 빨랐고 기사님도 친절하셨어요. 감사합니다."),
    ("survey", "billing", "상담원분이 정말 친절하게 설명해 주셔서 문제가 금방 해결됐습니다. 감사합니다!"),
    ("survey", "accounts", "상담원 친절하고 처리도 빨랐어요. 만족합니다."),
    ("chat", "billing", "이번 달 요금이 두 번 결제됐어요. 이중 청구된 금액 환불해 주세요."),
    (
        "email",
        "billing",
        "요금 이중 청구 건으로 환불 요청한 지 2주가 지났는데 아직도 환불이 안 됐습니다. 환불 지연 이유를 알려주세요.",
    ),
    ("survey", "billing", "환불 너무 늦음. 일주일이면 된다더니 아직도 안 들어옴."),
    ("chat", "billing", "카드로 두 번 결제됐는데 언제 환불되나요? 연락처는 010-1234-5678입니다."),
    ("survey", "billing", "대기 시간이 40분이 넘었어요. 전화 연결이 너무 안 됩니다."),
    ("survey", "tech_support", "대기 시간 너무 길고 연결되자마자 끊겼음. 최악."),
    ("chat", "sales", "지금 쓰는 요금제보다 데이터 많은 요금제로 변경하고 싶어요. 약정이 다시 시작되나요?"),
    ("email", "sales", "무제한 요금제와 플러스 요금제 차이가 뭔가요? 가격 비교 부탁드립니다."),
    ("survey", "sales", "요금제 변경했는데 첫 달 요금이 안내받은 것보다 더 많이 나왔습니다."),
    ("survey", "billing", "상담원은 친절했는데 문제는 아직 해결이 안 됐어요."),
    ("chat", "orders", "휴대폰 주문한 지 2주 됐는데 아직 배송이 안 왔어요. 배송 조회도 일주일째 그대로예요."),
    (
        "survey",
        "retention",
        "상담원이 불친절하고 말을 자꾸 끊었습니다. 해지 위약금 설명도 제대로 안 해줬어요.",
    ),
    ("email", "accounts", "비밀번호 재설정 메일이 오지 않습니다. 계정이 잠겨서 요금 납부를 못 하고 있어요."),
]
