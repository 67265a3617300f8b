"""One-line clause cases (RU and EN), written for the tests: (lang, clause, status, text).

Each text is checked on its own; the clause named must get the status given. Several
are hard negatives and traps: excluded penalties, client-only penalties, the client's
office hours, unlimited revisions, suspension that is forbidden.
"""

from __future__ import annotations

CASES: list[tuple[str, str, str, str]] = [
    # scope
    ("ru", "scope", "present", "Исполнитель ежемесячно готовит 10 (десять) постов и 15 сторис для сообщества Заказчика."),
    ("ru", "scope", "present", "Перечень и объём услуг согласованы Сторонами в Приложении № 2 к Договору."),
    ("ru", "scope", "weak", "Исполнитель оказывает услуги по продвижению аккаунта Заказчика в Instagram."),
    ("en", "scope", "present", "Each month the Contractor will produce eight (8) Instagram posts and four reels."),
    ("en", "scope", "weak", "Contractor will manage Client's social media accounts as needed."),
    # deadlines
    ("ru", "deadlines", "present", "Исполнитель сдаёт макет в течение 4 (четырёх) рабочих дней с даты получения брифа."),
    ("ru", "deadlines", "weak", "Исполнитель выполняет работы в согласованные Сторонами сроки."),
    ("en", "deadlines", "present", "Client will provide all brand assets within five (5) business days of signing."),
    ("en", "deadlines", "weak", "Designer will deliver the work as soon as possible."),
    # acceptance
    ("ru", "acceptance", "present", "Если Заказчик не направил возражений в течение 3 дней, работа считается принятой."),
    ("ru", "acceptance", "weak", "Сдача работ оформляется по акту."),
    ("en", "acceptance", "present", "Deliverables are deemed accepted if Client raises no objection within 3 days."),
    ("en", "acceptance", "weak", "Client will approve the final files."),
    # revision_limit
    ("ru", "revision_limit", "present", "В стоимость включены 2 (два) круга правок по каждому макету."),
    ("ru", "revision_limit", "present", "Заказчик вправе запросить не более трёх итераций доработок."),
    ("ru", "revision_limit", "weak", "Исполнитель вносит правки без ограничений до полного согласования макета."),
    ("ru", "revision_limit", "weak", "Количество правок определяется по согласованию Сторон."),
    ("en", "revision_limit", "present", "The fee covers three (3) rounds of revisions per deliverable."),
    ("en", "revision_limit", "weak", "Unlimited revisions are included in the price."),
    ("en", "revision_limit", "weak", "Freelancer will make a reasonable number of changes."),
    # change_procedure
    ("ru", "change_procedure", "present", "Дополнительные работы выполняются на основании письменной заявки Заказчика."),
    ("ru", "change_procedure", "weak", "Изменения в техническое задание вносятся по согласованию Сторон."),
    ("en", "change_procedure", "present", "Out-of-scope work requires a written change request and an approved estimate."),
    ("en", "change_procedure", "weak", "Changes to the scope will be mutually agreed by the parties."),
    # extra_work_payment
    ("ru", "extra_work_payment", "present", "Работы сверх объёма оплачиваются из расчёта 1 800 рублей за час."),
    ("ru", "extra_work_payment", "weak", "Дополнительные работы оплачиваются отдельно."),
    ("en", "extra_work_payment", "present", "Additional work is charged at USD 50 per hour."),
    ("en", "extra_work_payment", "weak", "Extra work will be billed separately."),
    # payment_terms
    ("ru", "payment_terms", "present", "Заказчик оплачивает счёт в течение 7 (семи) календарных дней с даты его получения."),
    ("ru", "payment_terms", "weak", "Оплата производится по факту выполнения работ."),
    ("en", "payment_terms", "present", "Invoices are payable within fifteen (15) days of receipt."),
    ("en", "payment_terms", "weak", "Client will pay USD 900, payable upon completion."),
    # late_payment_penalty
    ("ru", "late_payment_penalty", "present", "За просрочку оплаты Заказчик уплачивает пени 0,3 % от суммы долга за каждый день."),
    ("ru", "late_payment_penalty", "weak", "За нарушение сроков оплаты Заказчик несёт ответственность в виде неустойки."),
    ("ru", "late_payment_penalty", "missing", "Пени за просрочку оплаты не начисляются."),
    ("ru", "late_payment_penalty", "missing", "За просрочку сдачи работ Исполнитель уплачивает Заказчику штраф 1 % за каждый день."),
    ("en", "late_payment_penalty", "present", "Overdue invoices bear interest of 2% per month."),
    ("en", "late_payment_penalty", "weak", "Late payments may be subject to interest."),
    ("en", "late_payment_penalty", "missing", "No late fees will be charged."),
    ("en", "late_payment_penalty", "missing", "If the Agency is late, Agency will credit Client 5% of the fee."),
    # communication_rules
    ("ru", "communication_rules", "present", "Контактное лицо Заказчика — маркетолог Иванова Мария Петровна."),
    ("ru", "communication_rules", "weak", "Переписка Сторон ведётся в WhatsApp."),
    ("en", "communication_rules", "present", "Client's point of contact is the marketing lead, Anna Berg."),
    ("en", "communication_rules", "weak", "The parties communicate by email."),
    # working_hours
    ("ru", "working_hours", "present", "Исполнитель на связи с понедельника по пятницу с 11:00 до 19:00 по Москве."),
    ("ru", "working_hours", "weak", "Исполнитель отвечает на сообщения в рабочее время."),
    ("ru", "working_hours", "missing", "Согласование проводится в часы работы офиса Заказчика с 9:00 до 18:00."),
    ("en", "working_hours", "present", "The Contractor is available Monday to Friday, 10:00 to 18:00 CET."),
    ("en", "working_hours", "weak", "Contractor responds during normal business hours."),
    ("en", "working_hours", "missing", "Approvals are given during Client's office hours, 8:00 to 17:00."),
    # conduct
    ("ru", "conduct", "present", "Оскорбления и угрозы в адрес Исполнителя являются основанием для расторжения Договора."),
    ("ru", "conduct", "weak", "Стороны соблюдают нормы деловой этики."),
    ("en", "conduct", "present", "Insulting or threatening messages allow the Contractor to stop the work."),
    ("en", "conduct", "weak", "Both parties will act in a professional manner."),
    # stages_reporting
    ("ru", "stages_reporting", "present", "Работы выполняются в три этапа, результат каждого этапа согласуется Заказчиком."),
    ("ru", "stages_reporting", "weak", "Исполнитель ежемесячно направляет отчёт о статистике."),
    ("ru", "stages_reporting", "missing", "Поэтапная сдача работ не предусмотрена."),
    ("en", "stages_reporting", "present", "The project has two milestones; each milestone is approved by Client."),
    ("en", "stages_reporting", "weak", "Agency sends a weekly report on results."),
    # written_confirmation
    ("ru", "written_confirmation", "present", "Устные договорённости действительны только после подтверждения в переписке по электронной почте."),
    ("ru", "written_confirmation", "weak", "Сообщения в Telegram могут использоваться как подтверждение договорённостей."),
    ("en", "written_confirmation", "present", "Verbal instructions are binding only when confirmed in writing by email."),
    ("en", "written_confirmation", "weak", "Messages in the chat may be used as evidence of agreements."),
    # suspension
    ("ru", "suspension", "present", "Исполнитель вправе приостановить работы до поступления оплаты."),
    ("ru", "suspension", "weak", "Исполнитель вправе приостановить работу в случаях, предусмотренных законодательством."),
    ("ru", "suspension", "missing", "Исполнитель не вправе приостанавливать оказание услуг."),
    ("en", "suspension", "present", "The Contractor may suspend the work until overdue invoices are paid."),
    ("en", "suspension", "missing", "Agency may not suspend the Services for any reason."),
    # termination
    ("ru", "termination", "present", "При расторжении Договора Заказчик оплачивает фактически выполненные работы."),
    ("ru", "termination", "weak", "Договор может быть расторгнут по соглашению Сторон."),
    ("en", "termination", "present", "Upon termination Client pays for the work completed up to that date."),
    ("en", "termination", "weak", "Client may terminate this agreement at any time."),
]
