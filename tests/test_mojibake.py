"""FT111 mojibake: UTF-8 read back as cp1252 or Latin-1, planted into clean accented text in
French, German, Spanish and Portuguese: recall >= 0.95, no finding on the clean records, and
`ftlint fix` restores the text and records the repair."""
from __future__ import annotations

import json
import random

import pytest

import ftlint

# written for this test: accented text as it should be, typographic quotes, euro and degree signs
CLEAN = {
    "fr": ["Le café est ouvert à partir de 8 h, même le dimanche.", "Où puis-je récupérer ma commande déjà payée ?",
           "Votre colis a été expédié ; il arrivera d’ici vendredi.", "Les frais s’élèvent à 4,50 € par mois.",
           "Je voudrais être remboursé, s’il vous plaît.", "Noël approche : nos délais de livraison s’allongent.",
           "L’hôtel se trouve près de la gare, à côté du théâtre.", "Ça ne fonctionne plus depuis la mise à jour.",
           "Il fait 30 °C à l’intérieur, la climatisation est-elle en panne ?", "Merci pour votre réponse très rapide !"],
    "de": ["Ich möchte meine Bestellung ändern, bitte.", "Die Rückerstattung dauert fünf Werktage.",
           "Wo finde ich die Übersicht meiner Käufe?", "Größe und Gewicht stehen auf dem Etikett.",
           "Können Sie mir die Rechnung für März schicken?", "Das Gerät lässt sich nicht mehr einschalten.",
           "Die Lieferung an die Müllerstraße 5 ist fehlgeschlagen.", "Für Studierende gibt es 15 % Ermäßigung.",
           "Mein Passwort funktioniert nach dem Zurücksetzen nicht.", "Schöne Grüße und vielen Dank für die Hilfe!"],
    "es": ["¿Dónde está mi pedido? Lo pagué hace una semana.", "La devolución tardará cinco días hábiles.",
           "¿Puedo cambiar la dirección de envío después de pagar?", "El señor Núñez llamó por la mañana.",
           "Mi contraseña no funciona desde el último cambio.", "Añadimos una tarifa de 3 € por envío urgente.",
           "¿Cuál es el horario de atención al cliente?", "La aplicación se cierra cuando abro las imágenes.",
           "Gracias por la información, está todo claro.", "El paquete llegó dañado; ¿qué hago ahora?"],
    "pt": ["Onde está a minha encomenda? Paguei há uma semana.", "A devolução demora cinco dias úteis.",
           "Não consigo iniciar sessão depois da atualização.", "O cartão foi recusado na loja de São Paulo.",
           "Posso mudar o endereço de entrega após o pagamento?", "A aplicação fecha quando abro as imagens.",
           "Obrigado pela informação, ficou tudo claro.", "As condições de utilização estão na página inicial.",
           "Há uma taxa de 3 € por cada envio expresso.", "Quero cancelar a assinatura até ao fim do mês."],
}


def wrong_codec(text: str, codec: str) -> str:
    """UTF-8 bytes read back as ``codec`` (cp1252 falls back to Latin-1 for the five bytes it lacks)."""
    data = text.encode("utf-8")
    if codec == "cp1252":
        return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)
    return data.decode("latin-1")


def _planted(seed: int):
    rng = random.Random(seed)
    records, bad = [], []
    texts = [t for lang in CLEAN.values() for t in lang]
    for i in range(400):
        prompt, answer = rng.choice(texts), rng.choice(texts)
        if rng.random() < 0.1:
            codec = rng.choice(["cp1252", "latin-1"])
            if rng.random() < 0.5:
                prompt = wrong_codec(prompt, codec)
            else:
                answer = wrong_codec(answer, codec)
            bad.append(i + 1)
        records.append({"prompt": prompt, "completion": answer})
    return records, bad


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wrong_codec_is_found_and_clean_accented_text_is_not(seed):
    records, bad = _planted(seed)
    found = {f.line for f in ftlint.check(records, select=["FT111"]).findings}
    assert len(found & set(bad)) / len(bad) >= 0.95
    assert found - set(bad) == set()


def test_every_clean_sentence_passes():
    records = [{"prompt": t, "completion": t} for lang in CLEAN.values() for t in lang]
    assert ftlint.check(records, select=["FT111"]).findings == []


def test_message_shows_the_repair():
    records = [{"prompt": "Is the cafÃ© open?", "completion": "Itâ€™s open."}]
    f = ftlint.check(records, select=["FT111"]).findings[0]
    assert f.data["fields"] == ["prompt", "completion"]
    assert "'Is the cafÃ© open?' should read 'Is the café open?'" in f.message


def test_fix_repairs_in_place_and_records_it(tmp_path):
    records, bad = _planted(3)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = ftlint.fix(path, out, select=["FT111"], manifest=tmp_path / "m.json")
    kept = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == len(records)
    texts = {t for lang in CLEAN.values() for t in lang}
    assert all(r["prompt"] in texts and r["completion"] in texts for r in kept)
    assert result.changed["FT111"] >= 0.95 * len(bad)
    repairs = json.loads((tmp_path / "m.json").read_text())["repairs"]
    assert {r["line"] for r in repairs} <= set(bad) and all(r["code"] == "FT111" and r["after"] for r in repairs)


def test_ascii_and_curly_quotes_are_left_alone(tmp_path):
    records = [{"prompt": "Plain ASCII text, nothing to see.", "completion": "“Quoted” text and ﬁne ligatures stay."}]
    assert ftlint.check(records, select=["FT111"]).findings == []
