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
    assert ents["Quillmark"].type == "ORG"
    assert ents["Quillmark"].id == "new:quillmark"
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


LAWSUIT = (
    "Lindqvist Robotics has accused a former senior engineer of taking the training code for its "
    "vision model to a rival start-up, according to a lawsuit filed on Tuesday.\n\n"
    "The suit says Felix Haragan downloaded more than 40,000 files from the company's "
    "repositories. He then joined Otterbahn AI, a two-year-old company backed by Castellan "
    "Ventures.\n\n"
    '"We saw a pattern of downloads that had nothing to do with his work," said Mira Okonjo, '
    "Lindqvist's general counsel.\n\n"
    'Otterbahn AI said it "takes intellectual property seriously." Its chief executive, Tobias '
    "Wrede, told employees that the company had begun a review.\n\n"
    "Haragan's lawyer, Petra Volkov of the firm Brandt & Kessler, said her client denied "
    "wrongdoing."
)


def test_real_model_roles_and_speakers_follow_the_subject(model_analyzer: Analyzer) -> None:
    ann = model_analyzer.analyze(LAWSUIT, title="Robotics firm sues ex-engineer over model code")
    ents = {e.name: e for e in ann.entities}
    assert ents["Lindqvist Robotics"].aliases == ("Lindqvist",)
    assert ents["Otterbahn AI"].type == "ORG"
    assert ents["Brandt & Kessler"].type == "ORG"
    roles = {(r.person, r.title, r.org) for r in ann.roles}
    assert ("Mira Okonjo", "general counsel", "Lindqvist Robotics") in roles
    assert ("Tobias Wrede", "chief executive", "Otterbahn AI") in roles
    assert ("Petra Volkov", "lawyer", "Brandt & Kessler") in roles
    speakers = {q.text: q.speaker for q in ann.quotes}
    assert speakers["takes intellectual property seriously."] == "Otterbahn AI"
    assert speakers["her client denied wrongdoing"] == "Petra Volkov"
    assert ann.relevant
