"""Data-driven checks of the ru rule families added in the generalisation pass.

The phrasings below are NOT from the dev set: they are colloquial variants (no
punctuation, "щас", spaced particles like "что то", typos) of each family, plus hard
neutrals that share the vocabulary (money, deadlines, weekends, contracts, discounts
for the client's own customers) and must stay clean. Rules only, so the check is
deterministic and does not depend on the statistical model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clientguard.nlp.evaluate import evaluate_records, read_labelled

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"

POSITIVE = [
    ("скидка будет? а если сразу за полгода", "discount_request"),
    ("сколько скидка будет если возьмем на год", "discount_request"),
    ("ну скиньте хоть чуть чуть", "discount_request"),
    ("кризис у всех, давайте пересмотрим цену", "discount_request"),
    ("нафига нам договор", "contract_avoidance"),
    ("давайте без этих ваших договоров", "contract_avoidance"),
    ("подписывать ничего не будем, работаем так", "contract_avoidance"),
    ("документы это лишнее, начинайте", "contract_avoidance"),
    ("знаю что поздно но ответь прям сейчас", "off_hours_demand"),
    ("ответь прям щас, знаю что 2 ночи", "off_hours_demand"),
    ("будьте на связи в субботу весь день", "off_hours_demand"),
    ("почему в выходные не отвечаете", "off_hours_demand"),
    ("переделайте в течение 10 минут", "deadline_pressure"),
    ("жду уже 20 минут где пост", "deadline_pressure"),
    ("даю вам два часа на все", "deadline_pressure"),
    ("ну где пост где пост", "deadline_pressure"),
    ("таких как вы очередь, подумайте", "manipulation"),
    ("пока не переделаете денег не ждите", "manipulation"),
    ("вам должно быть стыдно брать за это деньги", "manipulation"),
    ("в общем минимализм. ой нет, лучше бохо", "indecision"),
    ("зря мы это затеяли, может отменим", "indecision"),
    ("не надо мне объяснять, просто делайте", "stonewalling"),
    ("почему поменял? потому что. следующий вопрос", "stonewalling"),
    ("и лендинг тоже сделайте, это же почти как пост", "scope_creep"),
    ("мой водитель больше понимает в рекламе чем вы", "expertise_dismissal"),
    ("ваши цифры меня не интересуют", "dissatisfaction"),
    ("опять фигня какая то", "dissatisfaction"),
    ("ну что то красивое сделайте, вы же профи", "vague_requirements"),
    ("деньги от заказчика пока не пришли, как придут сразу вам", "payment_delay"),
    ("руки у вашего дизайнера растут явно не оттуда", "insult"),
    # presale precision pass: the narrowed rules still catch the real thing
    ("наш юрист уже изучает нашу переписку", "manipulation"),
    ("договоримся на словах и хватит", "contract_avoidance"),
    ("31 декабря надо выложить итоги года, жду", "off_hours_demand"),
    ("оплату перенесем на следующий месяц", "payment_delay"),
]

NEUTRAL = [
    "знаю что поздно пишу, ответьте завтра когда будет время",
    "понимаю что у вас выходной, ответьте в понедельник, ничего срочного",
    "если в выходные будут вопросы в директе — не отвечайте, администратор сама ответит",
    "мы работаем без выходных, укажите это в шапке профиля",
    "скидка 20% на все стрижки для подписчиков, сделайте анонс",
    "у вас на сайте скидка 10% при оплате за квартал — она еще действует? хотим так оплатить",
    "цена заявки упала почти вдвое, отлично",
    "пост должен выйти сегодня по плану, все в силе?",
    "спасибо что так оперативно ответили",
    "пришлите договор, юрист посмотрит и вернет с правками",
    "бухгалтер в отпуске, но платеж уже в банке, дойдет завтра",
    "хотим заказать еще 5 постов сверх плана, выставьте счет",
    "поправьте дату акции в сторис, там 12 вместо 21",
    "можем созвониться в четверг в 15:00 обсудить стратегию?",
    # presale precision pass: a lawyer reading the draft, prepaying months ahead, a call
    # "to discuss by voice", and counts that look like holiday dates
    "пришлите проект договора, наш юрист хочет посмотреть пункт о расторжении",
    "если оплатим сразу за полгода вперед, так можно?",
    "давайте созвонимся во вторник в 12, обсудим на словах",
    "нужно 8 постов в месяц, готовы платить 40 тысяч",
    "в канале 1 пост в неделю, надо больше",
]


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")


@pytest.mark.parametrize(("text", "signal"), POSITIVE)
def test_family_fires(text: str, signal: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert signal in analyze_text(text, "ru").labels


@pytest.mark.parametrize("text", NEUTRAL)
def test_hard_neutral_stays_clean(text: str) -> None:
    from clientguard.nlp.api import analyze_text

    assert analyze_text(text, "ru").labels == ()


def test_holdout4_floor() -> None:
    """holdout4_ru was written before the pass-4 rules and never tuned on."""
    rep = evaluate_records(read_labelled(FIXTURES / "holdout4_ru.jsonl"))
    assert rep.macro_f1 >= 0.84
    assert rep.neutral_fp_rate <= 0.07
