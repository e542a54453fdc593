"""The PowerPoint pack opens in an office suite: LibreOffice (headless, its own throwaway
profile) converts it to PDF with one page per slide, each showing its title and source."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard import DATA_DIR
from dashboard.bundle import read_bundle
from dashboard.present.kinds import build_slides, default_deck
from dashboard.present.pack import write_pack
from dashboard.view import context_for, default_view

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: LibreOffice's first start (a new profile) takes a while on a busy machine: a limit, not a wait.
TIMEOUT_S = 180

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice not installed (Debian libreoffice-impress)"
    ),
]


def test_libreoffice_renders_one_page_per_slide(tmp_path: Path) -> None:
    bundle = read_bundle(DATA_DIR / "demo")
    ctx = context_for(bundle, default_view("demo", bundle))
    slides = build_slides(ctx, default_deck(ctx), None)
    pptx = tmp_path / "pack.pptx"
    write_pack(pptx, slides)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_S,
    )
    pdf = PdfReader(str(tmp_path / "out" / "pack.pdf"))
    assert len(pdf.pages) == len(slides)
    for page, slide in zip(pdf.pages, slides, strict=True):
        text = re.sub(r"\s+", " ", page.extract_text())
        assert slide.title in text
        assert re.sub(r"\s+", " ", slide.attribution) in text
