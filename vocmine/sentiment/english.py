"""English sentiment: plain VADER (the baseline) and `en-lexicon`, VADER's engine tuned for contact centres.

What `en-lexicon` adds, in order, on the lower-cased text before VADER's scorer sees it:

1. Scripted politeness is removed ("thank you for calling", "I apologise for the inconvenience", "have a
   nice day", "is there anything else I can help you with"): a script says nothing about how the call went.
2. Contact-centre expressions become marker tokens with a valence ("on hold for", "charged twice", "not
   working", "never arrived", "speak to a supervisor" are negative; "has been fixed", "refund has been
   processed", "no extra charge" are positive). VADER's negation still applies to them ("hasn't been fixed").
3. Words that are requests or back-channels here, not feelings, lose their valence ("help", "please",
   "like", "okay", "yes", "sure", "customer care", "credit"); a bare "thanks" is polite, not happy, while
   intensified thanks ("thank you so much", "really appreciate") stays positive.
4. Contrast beyond "but" ("however", "although ..., ...", "except") is rewritten to "but", whose following
   clause VADER already weighs more; a cheerful interjection in front of a complaint ("Oh great, another
   hour on hold") is read as sarcasm and dropped.

The rules are general patterns of the domain, not entries for particular sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Marker tokens: VADER looks words up in its lexicon, so each class of domain expression becomes one word.
_MARKERS = {
    "zzstrongneg": -2.4,
    "zzneg": -1.8,
    "zzescalate": -1.8,
    "zzmildneg": -1.0,
    "zzpos": 1.9,
    "zzmildpos": 1.1,
    "zzgrateful": 1.6,
}

_NUM = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|several|many|\d+)"
_DUR = rf"(?:over |more than |almost |nearly |about |at least )?{_NUM} (?:whole )?(?:minutes?|hours?|days?|weeks?|months?)"
_BE = r"(?:has|have|'s|'ve|is|are|was|were|had|'d)? ?(?:now |just |already |finally |all )?(?:been |got |gotten )?"
# the same, but an auxiliary must be there: "the money is back", not "I need that money back"
_BE_REQ = (
    r"(?:(?:has|have|'s|'ve|is|are|was|were|had|'d) (?:now |just |already |finally |all )?(?:been )?|"
    r"(?:been|got|gotten) )"
)

# Scripts: removed outright. Order matters only for readability.
_SCRIPTS = [
    r"thank(?:s| you)(?: (?:so|very) much)? for (?:calling|contacting us|contacting|holding|waiting|your patience|"
    r"your time|your call|your understanding|your business|your order|being a (?:valued |loyal )?customer|"
    r"choosing us|reaching out(?: to us)?|bearing with (?:me|us)|that information|confirming(?: that)?|checking|"
    r"your feedback|letting us know)",
    r"(?:i|we) ?(?:do |really |sincerely |truly |completely )?(?:apologi[sz]e|am sorry|'m sorry|are sorry|'re sorry)"
    r" (?:for|about) (?:the|any|this|that|all the|my|our|keeping you|your) (?:\w+ )?(?:inconvenience|wait(?:ing)?|"
    r"delay|trouble|confusion|hold(?:ing)?|error|mistake|mix-up|experience)",
    r"(?:i'm |i am |we're |we are )?(?:so |very |really |terribly |truly )?sorry (?:about|for) (?:that|this)",
    r"(?:i|we) (?:do )?(?:apologi[sz]e)",
    r"sorry (?:for|about) (?:the|your|any|keeping you) (?:wait(?:ing)?|inconvenience|delay|hold)",
    r"(?:i'm |i am |we're |we are )?(?:so |very |really )?sorry to hear (?:that|about that|you've had trouble)",
    r"(?:i|we) (?:completely |totally |fully |can |do )?understand(?: your (?:frustration|concerns?)| how "
    r"(?:frustrating|annoying|upsetting|stressful|difficult|inconvenient|worrying)[^.!?,;]*| that)?",
    r"(?:have|enjoy) a (?:nice|good|great|wonderful|lovely|pleasant|fantastic) (?:day|evening|night|weekend|one|afternoon)",
    r"how (?:can|may|could) (?:i|we) (?:help|assist)(?: you)?(?: today)?",
    r"(?:is there )?anything else (?:i|we) can (?:help|assist) (?:you )?with(?: today)?",
    r"it(?:'s| is| was|'s been| has been) (?:my|a|an absolute) pleasure(?: speaking with you| talking to you)?",
    r"(?:my|our) pleasure",
    r"you(?:'re| are) (?:very |most |so )?welcome",
    r"(?:i'm |i am |i'd be |i would be |we're |we'd be )?(?:more than )?(?:happy|glad) to help",
    r"(?:i'd|i would|i'll|i will|we'd|we'll) be (?:more than )?(?:happy|glad) to",
    r"i appreciate your (?:patience|understanding|time|call|business)",
    r"(?:good (?:morning|afternoon|evening))",
    r"for (?:quality|training)(?: and (?:quality|training))? purposes",
    r"no (?:problem|worries)(?: at all)?",
    r"(?:sorry )?to bother you",
    r"(?:if you )?don't mind me (?:saying|asking)",
    r"with (?:all due )?respect",
    r"(?:i )?hate to complain",
    r"bear with (?:me|us)",
    r"how (?:are|is) (?:you|your day)(?: doing)?(?: today)?",
]

# (pattern, marker). Patterns run after the scripts are gone, in this order.
_PHRASES: list[tuple[str, str]] = [
    (r"\b(?:like|want|need|get|have|expect|hoping|hope) (?:this|it|that|them|everything) (?:\w+ )?(?:fixed|sorted|"
     r"resolved|repaired)", "zzmildneg"),
    (r"\band (?:it|that|this|they|he|she) (?:still )?(?:hasn't|haven't|wasn't|isn't|didn't|won't|doesn't|never "
     r"did)\b\W*$", " but zzneg"),
    (r"\b(?:best|right|quickest|easiest) (?:number|time|way|address|email|day)\b", "question"),
    (r"\bnot (?:a|making a) complaint\b|\bnot complaining\b", "question"),
    (r"\b(?:(?:no|not any|don't have any|haven't had any|never had any)(?: more| further| other)? (?:problems?|"
     r"issues?|complaints?)|nothing to complain about|(?:can't|cannot) fault (?:it|you|the service)|nothing(?:'s| has)?"
     r" (?:gone |went |been )?wrong)\b", "zzmildpos"),
    (r"\b(?:thanks|thank you|(?:can't|cannot) thank you enough|grateful|appreciate it) (?:so much |very much )?for "
     r"(?:sorting(?: out)?|fixing|resolving|getting (?:this|that|it) sorted)\b", "zzpos"),
    (r"\b(?:can't|cannot) thank (?:you|them|him|her) enough\b", "zzgrateful"),
    (r"\b(?:made my day|kind of you|exactly what i (?:needed|wanted)|above and beyond|extra mile)\b", "zzpos"),
    (r"\bthank(?:s| you) for (?:all )?(?:your|the|my) (?:help|assistance|advice)", "zzmildpos"),
    (r"\b(?:nothing|no one|nobody) (?:has |have )?(?:changed|happened|came|come|arrived|works?)\b|"
     r"\bnothing (?:more|else) (?:i|we) can do\b|\bnowhere near\b", "zzneg"),
    (r"\bnever (?:ordered|agreed|asked for|signed up|authori[sz]ed|used|made|requested)\b", "zzneg"),
    (r"\b(?:can't|cannot|couldn't|unable to|not able to|won't be able to) (?:cancel|refund|waive|change|remove|"
     r"reverse|help)\b", "zzneg"),
    # intensified gratitude is positive; bare thanks is dropped below
    (r"thank(?:s| you) (?:so|very) much|thanks (?:a million|ever so much)|many thanks|much appreciated|"
     r"(?:really|truly|greatly|so|very much) appreciate(?:d)?(?: it)?|thank you ever so much", "zzgrateful"),
    (r"thanks (?:a lot )?for nothing|a lot of good that did", "zzstrongneg"),
    (r"\bfor nothing\b", "zzneg"),
    # resolution and good news
    (rf"\b(?:fault|issue|problem|outage|it|everything|that|line|connection|service|account|this)? ?{_BE}"
     r"(?:fixed|resolved|sorted(?: out)?|solved|restored|reconnected|unlocked|reactivated|repaired)\b", "zzpos"),
    (rf"\b(?:refund|money|charge|fee|payment|credit|amount|discount)s? {_BE_REQ}(?:processed|approved|"
     r"reversed|refunded|credited|waived|removed|cancelled|canceled|applied|returned|back|come through|gone "
     r"through|arrived|landed)\b", "zzpos"),
    (r"\b(?:i've|i have|we've|we have|i|we) (?:just |now |already )?(?:refunded|credited|waived|reversed|"
     r"removed|restored|upgraded|applied)\b", "zzpos"),
    (r"\b(?:i've|i have|we've|we have|i|we) (?:just |now |already )?(?:cancell?ed|stopped|blocked) (?:the|that|"
     r"this|your|any|those|these) (?:\w+ )?(?:charges?|fees?|payments?|debits?|direct debit)\b", "zzpos"),
    (r"\b(?:replacement|order|parcel|package|delivery|device|card|engineer|technician|new \w+|it|they)s?(?:(?: has|"
     r" have|'s|'ve| had| was| were| is| are) (?:now |just |already )?(?:been )?(?:dispatched|shipped|sent out|posted)|"
     r"(?: has| have|'s|'ve| was| were) (?:now |just |already )?been booked|(?: is| are|'s) (?:now |already )?on its "
     r"way)\b", "zzmildpos"),
    (r"\b(?:at )?no (?:extra|additional|further)? ?(?:charge|cost)\b|free of charge|won't be (?:charged|billed)|"
     r"won't (?:have to )?pay "
     r"(?:anything|twice|again|extra|more)|(?:free|complimentary) upgrade", "zzpos"),
    (r"\bgood news\b", "zzpos"),
    (r"\b(?:working|works|back up|back on|back online|up and running)(?: (?:again|now|fine|perfectly|great))+\b",
     "zzpos"),
    (r"\b(?:it's|it is|that's|everything's|everything is|all) (?:working|sorted|done)\b", "zzmildpos"),
    (r"\b(?:quick|fast|prompt|speedy|swift)(?:ly|er)?\b(?! question)", "zzmildpos"),
    (r"\bin no time\b|\b(?:arriv(?:e|es|ing|ed)|deliver(?:ed|ing)?|be (?:there|with you)|came|come)(?: \w+){0,2} "
     r"(?:early|earlier(?: than (?:expected|planned|promised|scheduled))?|ahead of schedule)\b|\bon time\b",
     "zzmildpos"),
    (r"\bquick question\b", "question"),
    # waiting and runaround
    (rf"\bon hold(?: for {_DUR})?|\b(?:been |still |kept )?waiting (?:for |since )?(?:{_DUR}|ages|hours|days|"
     r"weeks|forever)|\bwaited (?:in )?(?:for )?(?:{_DUR}|all day|ages|hours|days|weeks|forever)|"
     r"\btook (?:forever|ages|weeks|months)|\bstill waiting", "zzneg"),
    (r"\b(?:transferred|passed|bounced|pushed) (?:around|from one|between)|\bgive me the runaround|"
     r"\bkeep (?:getting )?(?:transferred|passed)", "zzneg"),
    (rf"\b(?:been )?trying to (?:reach|contact|get hold of|get through|call|speak|talk|sort)\w*\b[^.!?]*? "
     rf"(?:for|since) (?:{_DUR}|ages|days|weeks|months|hours|yesterday|last \w+)\b", "zzneg"),
    (r"\b(?:the |this is the )?(?:second|third|fourth|fifth|tenth) time\b|\bdifferent (?:people|agents|advisors|"
     r"departments|teams|numbers)\b|\b(?:three|four|five|six|\d+) times\b|"
     r"\bagain and again\b|\bevery (?:time|single time|evening|night|day|morning)\b", "zzmildneg"),
    # money
    (r"\b(?:charged|billed|debited|taken|paid|deducted|collected)(?: \w+){0,3} (?:twice|double|two times)\b|\bdouble[- ]?(?:charged|billed"
     r"|charge|payment)|\bover-?charged|\bover-?billed|\bduplicate (?:payment|charge)s?", "zzstrongneg"),
    (r"\b(?:extra|hidden|late|cancellation|termination|unexpected|surprise|admin|penalty|overdraft) "
     r"(?:fees?|charges?)\b|\b(?:bill|bills|price|prices|premium|rate|tariff|payments?)(?: \w+){0,2} (?:has |have |is |are "
     r"|was )?(?:doubled|tripled|gone up|went up|increased|risen|(?:nearly |almost )?double)\b|\bprices? (?:keep )?(?:going|went|go) up",
     "zzneg"),
    (r"\b(?:a |the |my |full )?refund\b(?! polic)|\bchargeback\b|\bcompensation\b", "zzmildneg"),
    # cancelling, escalating, leaving
    (r"\b(?:cancel|close|terminate) (?:my|the) (?:contract|account|subscription|service|plan|line)|"
     r"\bswitch(?:ing)? (?:to (?:another|a different) )?provider|\bleave you\b|\bhad enough\b", "zzneg"),
    (r"\b(?:speak|talk) to (?:a |your |the )?(?:supervisor|manager|someone senior)|\bescalat(?:e|ed|ing)\b|"
     r"\b(?:formal |official )?complaint\b|\bombudsman\b|\blegal action\b", "zzescalate"),
    (r"\bcancel(?:led|ed|s)?\b|\bcancellation\b", "zzmildneg"),
    # broken things
    (r"\b(?:not|isn't|is not|aren't|wasn't|stopped|still not|no longer|never) (?:been )?working\b|"
     r"\b(?:doesn't|does not|didn't|won't|will not) (?:work|turn on|connect|load|charge|start|open|let me)\b|"
     r"\bkeeps? (?:dropping|crashing|freezing|failing|disconnecting|cutting out|going down|logging me out|"
     r"restarting|breaking)\b|\b(?:won't|doesn't|does not|will not|can't|cannot) (?:even )?(?:hold|keep|stay)"
     r"(?: a)? (?:charge|signal|connection|connected|on)\b|\b(?:is|was|are|were|been|goes|went|going|'s) (?:\w+ )?(?:down|dead|offline)\b|"
     r"\b(?:dead|offline)\b", "zzneg"),
    (r"\b(?:can't|cannot|couldn't|unable to|not able to) (?:log ?in|sign in|access|connect|get (?:through|in|"
     r"online)|use|make calls|pay|see|check out|submit)\b|\blocked out\b|\bno (?:\w+ )?(?:signal|service|"
     r"dial tone|internet|connection|reception|hot water|power|broadband)\b|\b(?:dropped|cut off|hung up on)\b|\bdropped calls?\b",
     "zzneg"),
    (r"\b(?:outages?|faulty|fault|defective|damaged|broken|crash(?:es|ed|ing)?|freez(?:es|ing)|frozen|glitch(?:es)?"
     r"|error(?: code)?s?|bug(?:gy)?|declined|bounced|suspended|disconnected|stuck|missing|lost|slows?|slower|"
     r"slowest|crawl|laggy|delay(?:ed|s)?|late|overdue|wrong|incorrect|mistake|unauthori[sz]ed|fraud(?:ulent)?|scam|"
     r"soaked|rude|ignored|useless|pointless|unresolved|final demand|unrecogni[sz]ed)\b|\b(?:don't|do not|didn't|"
     r"did not) recogni[sz]e\b", "zzneg"),
    (r"\b(?:never|still (?:haven't|hasn't|hadn't|not)|haven't|hasn't|hadn't|have not|has not|had not|didn't|did not|"
     r"not yet) "
     r"(?:\w+ )?(?:received|got|gotten|arrived|came|come|heard|called(?: me)? back|called|shown up|showed up|"
     r"turned up|responded|replied|answered|processed|credited|refunded|delivered|shipped|show up|turn up|"
     r"arrive|come|reply|respond|been (?:fixed|resolved|sorted))\b|\bnever (?:arrived|came|turned up|showed up)|"
     r"\bno[- ](?:show|reply|response|one (?:ever )?(?:called|replies|answers|came|helped))|"
     r"\b(?:nobody|no one) (?:\w+ )?(?:called|came|answers|answered|replied|helped|responded|turned up|told|"
     r"explained|cares|bothered|has been able)", "zzstrongneg"),
    (r"\b(?:didn't|did not|doesn't|does not|couldn't|could not|can't|won't|wasn't able to|unable to|failed to) "
     r"(?:\w+ )?(?:fix|solve|resolve|help|sort|answer|explain)\w*\b", "zzneg"),
    (r"\bsupposed to\b|\b(?:promised|told) (?:me )?(?:a |that |it |the )?(?:\w+ )?(?:would|callback|call back|"
     r"last (?:week|month)|yesterday)|\bstill\b(?= (?:no|not|haven't|hasn't|isn't|aren't|wasn't|doesn't|didn't|"
     r"won't|can't|nothing|dead|broken|suspended|on hold|charged|waiting|there|showing|going))", "zzmildneg"),
    (r"\b(?:higher|more) than (?:usual|normal|expected|quoted|promised|agreed)\b|\bcan't afford\b", "zzneg"),
    (r"\b(?:is|was|what) a (?:joke|farce|shambles)\b|\bwaste of (?:my )?(?:time|money)\b", "zzstrongneg"),
]  # fmt: skip

# Words that are requests, back-channels or product nouns in this domain; value 0 = no sentiment.
_NEUTRAL_WORDS = [
    "help",
    "helps",
    "please",
    "ok",
    "okay",
    "yes",
    "yeah",
    "yep",
    "sure",
    "no",
    "well",
    "care",
    "support",
    "credit",
    "free",
    "interest",
    "pretty",
    "hope",
    "want",
    "chance",
    "welcome",
    "pleasure",
    "thank",
    "thanks",
    "sorry",
    "apologize",
    "apologise",
    "apology",
    "apologies",
    "save",
    "alright",
    "cool",
    "true",
    "honest",
    "honestly",
    "frankly",
    "respect",
    "bother",
    "dear",
    "security",
    "protect",
    "protection",
    "reward",
    "rewards",
    "bonus",
    "special",
    "share",
    "matter",
    "like",
    "likes",
    "fine",
    "agree",
    "trouble",
    "promise",
    "promised",
    "joke",
    "number",
    "pay",
    "helping",
    "cares",
    "lower",
    "charges",
    "charged",
    "reach",
]
_WORD_VALUES = {
    **dict.fromkeys(_NEUTRAL_WORDS, 0.0),
    "helped": 1.2,
    "helpful": 2.0,
    "unhelpful": -2.0,
    "cheers": 0.6,
    "fine": 0.4,
    "love": 2.6,
    "enjoy": 1.8,
    "patient": 1.2,
    "understanding": 1.0,
    "friendly": 1.8,
    "professional": 1.4,
    "knowledgeable": 1.6,
    "efficient": 1.6,
    "painless": 1.6,
    "easy": 1.4,
    "easier": 1.4,
    "smooth": 1.4,
    "seamless": 1.6,
    "superb": 3.0,
    "brilliant": 2.8,
    "lifesaver": 2.6,
    "lifesavers": 2.6,
    "relief": 1.8,
    "relieved": 2.0,
    "impressed": 2.2,
    "sorted": 1.4,
    "faultless": 2.4,
    "recommend": 1.6,
    "nightmare": -2.6,
    "hassle": -1.6,
    "cheated": -2.6,
    "stressful": -2.0,
    "unreliable": -2.0,
    "unfortunately": -1.2,
    "afraid": -1.0,
    "complain": -1.6,
    "outrageous": -2.6,
    "sick": -1.8,
    "worse": -2.1,
    "loose": -1.0,
    "mess": -1.8,
    "regret": -2.0,
    "fed": -0.5,
    "cheaper": 1.2,
    "discount": 1.2,
    "discounted": 1.2,
    "locked": -1.4,
    "issue": -1.0,
    "issues": -1.0,
    "expensive": -1.2,
    "overpriced": -2.0,
    "confusing": -1.4,
    "unclear": -1.2,
    "misleading": -2.0,
    "misled": -2.0,
    "incompetent": -2.4,
    "unprofessional": -2.2,
    "reliable": 1.4,
    "accommodating": 1.6,
    "courteous": 1.6,
    "attentive": 1.6,
}

_INTERJECTION = re.compile(
    r"^(?:oh,? )?(?:great|wonderful|fantastic|perfect|brilliant|lovely|super|awesome|nice|excellent|marvellous)"
    r"(?:,? just (?:great|wonderful|perfect))?[,.!]+\s*"
)
_SARCASM_CUE = re.compile(r"\b(?:again|another|so now|just what i needed)\b|^so\b")
# Questions that ask for information ("what happens if I pay late?", "how long does a refund take?", "has my
# refund been processed?") name a problem or a fix without reporting it: their domain markers are dropped
# (escalation and strong complaints stay; "why ..." and "how come ..." questions are complaints and keep all).
_INFO_QUESTION = re.compile(
    r"^(?:and |so |um,? |uh,? |just |also,? |okay,? |ok,? )?(?:(?:can|could) you (?:check|confirm|see)|has my|have my|"
    r"has the|have the|what happens|what if|what's the|what is the|what are "
    r"the|what do i|how long|how much|how many|how do|how does|how can|how would|can i|could i|can you tell|could you"
    r" tell|do i|do you|does it|does the|will i|will it|would i|would it|is it possible|is there a way|when will|"
    r"when do|when does|where can|which)\b[^?]*\?$"
)
_CONTRAST = [
    (re.compile(r"^(?:although|though|even though|while) ([^,]+), (.+)$"), r"\1 but \2"),
    # after a comma, "although"/"even though" start the heavier clause too, and "still" is contrast only
    # there: "it still isn't on my account" is persistence (a complaint), not contrast
    (
        re.compile(
            r"[,;.] (?:although|even though|though|however|except that|except|yet|still|nevertheless|that said)"
            r",? |(?<=\w) (?:however|though|except that|except|yet|nevertheless),? "
        ),
        " but ",
    ),
]


class VaderBackend:
    """Plain VADER compound score: the English baseline, and a backend a user may still choose."""

    name = "vader"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()

    def score(self, texts: Sequence[str], docs: Sequence | None = None) -> list[float]:
        return [float(self.analyzer.polarity_scores(t)["compound"]) for t in texts]


class EnglishLexiconBackend:
    """`en-lexicon`: contact-centre rules in front of VADER's scorer (see the module docstring)."""

    name = "en-lexicon"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()
        # our own instance's lexicon: plain VADER elsewhere in the process is unaffected
        self.analyzer.lexicon = dict(self.analyzer.lexicon)
        self.analyzer.lexicon.update(_WORD_VALUES)
        self.analyzer.lexicon.update(_MARKERS)
        self._scripts = re.compile(r"\b(?:" + "|".join(_SCRIPTS) + r")\b")
        self._phrases = [(re.compile(p), f" {m} ") for p, m in _PHRASES]

    def rewrite(self, text: str) -> str:
        """The text as the scorer sees it (exposed so a reader can check why a score came out as it did)."""
        t = " " + text.lower().replace("’", "'") + " "
        t = re.sub(r"\s+", " ", self._scripts.sub(" , ", t)).strip(" ,")
        for rx, marker in self._phrases:
            t = rx.sub(marker, t)
        t = re.sub(r"\s+", " ", t).strip(" ,")
        # a fee or charge that was removed is no longer a complaint: "zzpos the zzneg" -> "zzpos"
        t = re.sub(
            r"\b(zz(?:mild)?pos) (?:for )?(?:the |your |that |this |any |all )?zz(?:strong|mild)?neg\b",
            r"\1",
            t,
        )
        if _INFO_QUESTION.match(t):
            t = re.sub(r"\bzz(?:mild)?(?:neg|pos)\b", " ", t)
        has_negative = any(m in t for m in ("zzneg", "zzstrongneg", "zzescalate"))
        if _INTERJECTION.match(t):
            rest = _INTERJECTION.sub("", t)
            if has_negative or _SARCASM_CUE.search(rest):
                t = "zzneg " + rest
        for rx, repl in _CONTRAST:
            t = rx.sub(repl, t)
        return t

    def score(self, texts: Sequence[str], docs: Sequence | None = None) -> list[float]:
        out = []
        for text in texts:
            t = self.rewrite(text)
            out.append(float(self.analyzer.polarity_scores(t)["compound"]) if t else 0.0)
        return out
