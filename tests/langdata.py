"""Seeded data for the language rules' tests, written for them (no public data set is copied):
English customer-support prompts and answers from templates, short ones included, and
hand-written prompts and answers in ten other languages."""
from __future__ import annotations

import random

SUBJECTS = ["my order", "my card", "the invoice", "my account", "the parcel", "my subscription", "the refund",
            "my password", "the app", "my booking", "the delivery", "my payment", "the discount code",
            "my profile", "the warranty", "my last transfer", "the receipt", "my new phone", "the gift card"]
ASKS = [
    "Where is {s}? I have been waiting for two weeks now.",
    "How do I cancel {s} before the end of the month?",
    "Can you tell me why {s} was declined this morning?",
    "I need help with {s}, it does not work since yesterday.",
    "What happens to {s} if I move to another country?",
    "Is it possible to change {s} after I already confirmed it?",
    "Why does {s} show a different amount than I expected?",
    "Could you check the status of {s} for me, please?",
    "I think somebody else used {s} without my permission.",
    "How long does it usually take to process {s}?",
    "Please explain the fees that apply to {s}.",
    "I was charged twice for {s}, what should I do?",
    "my friend says {s} takes ages, is that true",
    "when will {s} be ready for pickup at the store",
    "can i get a copy of {s} sent to my email address",
]
SHORT = ["Report stolen card", "Cancel my order", "Refund please", "Where is it?", "Change my PIN",
         "Track my parcel", "Need a receipt", "Account locked", "Reset password", "Top up failed",
         "Card not arrived", "Wrong amount charged", "Delete my account", "Update address", "Is it free?"]
ANSWERS = [
    "I have checked {s} and everything looks fine on our side; it should update within a day.",
    "You can change {s} in the app under Settings, then confirm with your PIN.",
    "Sorry about that. I have opened a case for {s} and our team will email you within 48 hours.",
    "The fee for {s} depends on your plan; the standard plan includes it at no extra cost.",
    "Please send us a photo of {s} and we will replace it free of charge.",
]

FOREIGN = {
    "fr": ["Où est ma commande ? J'attends depuis deux semaines.",
           "Comment puis-je annuler mon abonnement avant la fin du mois ?",
           "Pourquoi ma carte a-t-elle été refusée ce matin au supermarché ?",
           "Je voudrais changer l'adresse de livraison de mon colis.",
           "Pouvez-vous m'envoyer une copie de la facture par courriel ?",
           "Quelqu'un a utilisé ma carte sans mon autorisation hier soir.",
           "Combien de temps faut-il pour recevoir le remboursement sur mon compte ?",
           "J'ai été débité deux fois pour la même commande, que dois-je faire ?"],
    "de": ["Wo ist meine Bestellung? Ich warte schon seit zwei Wochen.",
           "Wie kann ich mein Abonnement vor Ende des Monats kündigen?",
           "Warum wurde meine Karte heute Morgen im Supermarkt abgelehnt?",
           "Ich möchte die Lieferadresse meines Pakets ändern, bitte.",
           "Können Sie mir eine Kopie der Rechnung per E-Mail schicken?",
           "Jemand hat gestern Abend meine Karte ohne meine Erlaubnis benutzt.",
           "Wie lange dauert es, bis die Rückerstattung auf meinem Konto ist?",
           "Mir wurde dieselbe Bestellung zweimal abgebucht, was soll ich tun?"],
    "es": ["¿Dónde está mi pedido? Llevo dos semanas esperando.",
           "¿Cómo puedo cancelar mi suscripción antes de fin de mes?",
           "¿Por qué rechazaron mi tarjeta esta mañana en el supermercado?",
           "Quiero cambiar la dirección de entrega de mi paquete, por favor.",
           "¿Pueden enviarme una copia de la factura por correo electrónico?",
           "Alguien usó mi tarjeta sin mi permiso anoche en una tienda.",
           "¿Cuánto tarda el reembolso en llegar a mi cuenta bancaria?",
           "Me cobraron dos veces el mismo pedido, ¿qué debo hacer ahora?"],
    "it": ["Dov'è il mio ordine? Aspetto da due settimane ormai.",
           "Come posso disdire il mio abbonamento prima della fine del mese?",
           "Perché la mia carta è stata rifiutata stamattina al supermercato?",
           "Vorrei cambiare l'indirizzo di consegna del mio pacco, per favore.",
           "Potete inviarmi una copia della fattura per posta elettronica?",
           "Qualcuno ha usato la mia carta senza il mio permesso ieri sera.",
           "Quanto tempo ci vuole perché il rimborso arrivi sul mio conto?",
           "Mi hanno addebitato due volte lo stesso ordine, cosa devo fare?"],
    "pt": ["Onde está a minha encomenda? Estou à espera há duas semanas.",
           "Como posso cancelar a minha assinatura antes do fim do mês?",
           "Porque é que o meu cartão foi recusado hoje de manhã no supermercado?",
           "Quero mudar o endereço de entrega da minha encomenda, por favor.",
           "Podem enviar-me uma cópia da fatura por correio eletrónico?",
           "Alguém usou o meu cartão sem a minha autorização ontem à noite.",
           "Quanto tempo demora o reembolso a chegar à minha conta bancária?",
           "Cobraram-me duas vezes a mesma encomenda, o que devo fazer agora?"],
    "nl": ["Waar is mijn bestelling? Ik wacht al twee weken op het pakket.",
           "Hoe kan ik mijn abonnement opzeggen voor het einde van de maand?",
           "Waarom werd mijn kaart vanochtend in de supermarkt geweigerd?",
           "Ik wil graag het bezorgadres van mijn pakket wijzigen.",
           "Kunt u mij een kopie van de factuur per e-mail sturen?",
           "Iemand heeft gisteravond mijn kaart zonder mijn toestemming gebruikt.",
           "Hoe lang duurt het voordat de terugbetaling op mijn rekening staat?",
           "Dezelfde bestelling is twee keer afgeschreven, wat moet ik nu doen?"],
    "pl": ["Gdzie jest moje zamówienie? Czekam już od dwóch tygodni.",
           "Jak mogę anulować subskrypcję przed końcem miesiąca?",
           "Dlaczego moja karta została dziś rano odrzucona w sklepie?",
           "Chciałbym zmienić adres dostawy mojej paczki, proszę.",
           "Czy możecie przesłać mi kopię faktury na adres e-mail?",
           "Ktoś wczoraj wieczorem użył mojej karty bez mojej zgody.",
           "Ile trwa, zanim zwrot pieniędzy pojawi się na moim koncie?",
           "Za to samo zamówienie pobrano opłatę dwa razy, co mam zrobić?"],
    "sv": ["Var är min beställning? Jag har väntat i två veckor nu.",
           "Hur kan jag säga upp mitt abonnemang innan månaden är slut?",
           "Varför nekades mitt kort i mataffären i morse?",
           "Jag vill ändra leveransadressen för mitt paket, tack.",
           "Kan ni skicka en kopia av fakturan till min e-post?",
           "Någon använde mitt kort utan mitt tillstånd igår kväll.",
           "Hur lång tid tar det innan återbetalningen syns på mitt konto?",
           "Jag blev debiterad två gånger för samma beställning, vad gör jag?"],
    "ru": ["Где мой заказ? Я жду уже две недели.",
           "Как отменить подписку до конца месяца?",
           "Почему мою карту сегодня утром отклонили в магазине?",
           "Я хочу изменить адрес доставки моей посылки.",
           "Можете прислать мне копию счёта по электронной почте?",
           "Кто-то вчера вечером воспользовался моей картой без разрешения.",
           "Сколько времени занимает возврат денег на мой счёт?",
           "С меня дважды списали деньги за один заказ, что делать?"],
    "ja": ["注文した商品がまだ届きません。二週間も待っています。",
           "月末までにサブスクリプションを解約するにはどうすればいいですか。",
           "今朝スーパーでカードが使えなかったのはなぜですか。",
           "荷物の配達先の住所を変更したいです。",
           "請求書のコピーをメールで送っていただけますか。",
           "昨夜、誰かが私のカードを無断で使いました。",
           "返金が口座に反映されるまでどのくらいかかりますか。",
           "同じ注文で二回請求されました。どうすればいいですか。"],
}


def english_prompt(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(SHORT)
    return rng.choice(ASKS).format(s=rng.choice(SUBJECTS))


def english_answer(rng: random.Random) -> str:
    return rng.choice(ANSWERS).format(s=rng.choice(SUBJECTS))


def planted(n: int = 3000, share: float = 0.02, seed: int = 0, mismatch: bool = False):
    """(records, lines of the planted records): English records with ``share`` of them in another
    language (prompt and answer both foreign), or with only the answer foreign (``mismatch``)."""
    rng = random.Random(seed)
    pool = [(lang, i) for lang, texts in FOREIGN.items() for i in range(len(texts))]
    k = int(round(share * n))
    where = set(rng.sample(range(n), k))
    records, lines = [], []
    for i in range(n):
        if i in where:
            lang, j = rng.choice(pool)
            answer = FOREIGN[lang][(j + 1) % len(FOREIGN[lang])]
            prompt = english_prompt(rng) if mismatch else FOREIGN[lang][j]
            if mismatch and len(prompt.split()) < 5:
                prompt = rng.choice(ASKS).format(s=rng.choice(SUBJECTS))
            records.append({"prompt": prompt, "completion": answer})
            lines.append(i + 1)
        else:
            records.append({"prompt": english_prompt(rng), "completion": english_answer(rng)})
    return records, lines
