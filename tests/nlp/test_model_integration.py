"""A few end-to-end checks with the installed small model (skipped without it)."""

from __future__ import annotations

from nlp.analyze import Analyzer

ARTICLE = (
    "Quillmark, an AI startup based in Austin, said on Tuesday that Vexa Labs had copied its "
    "coding model.\n\n"
    "Disney's chief legal officer Horacio Gutierrez said the company would respond. "
    "David Sacks, the White House's AI and crypto adviser, said there was evidence. "
    "Sacks added that companies would act.\n\n"
    '"We will protect our work," said Dario Amodei, chief executive of Anthropic. '
    '"It is a serious matter.\n\n'
    '"We will not let it stand," he added.\n\n'
    "A spokesperson for OpenAI declined to comment."
)


def test_real_model_entities_roles_quotes(model_analyzer: Analyzer) -> None:
    ann = model_analyzer.analyze(ARTICLE, title="Quillmark accuses Vexa Labs of copying")
    ents = {e.name: e for e in ann.entities}
    assert ents["Quillmark"].type == "ORG" and ents["Quillmark"].id == "new:quillmark"
    assert ents["David Sacks"].count == 2  # "Sacks" merged into the full name
    assert "AI" not in ents
    roles = {(r.person, r.org) for r in ann.roles}
    assert ("David Sacks", "White House") in roles
    assert ("Dario Amodei", "Anthropic") in roles
    by_text = {q.text: q for q in ann.quotes}
    assert by_text["We will protect our work"].speaker == "Dario Amodei"
    assert by_text["It is a serious matter. We will not let it stand"].speaker == "Dario Amodei"
    indirect = [q for q in ann.quotes if not q.direct]
    assert any(q.speaker == "Quillmark" for q in indirect)
