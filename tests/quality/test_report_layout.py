"""Issue 43 item 11: the letter to BNSP keeps its signature block with the text it signs, whatever the number of
rows of its tables (the walk found it alone on page 2), and no text leaves the page (tests/pdf_layout.py).

Set PAPER_LAYOUT_OUT to a folder to keep the PDFs and look at them (``pdftoppm -png``)."""

from __future__ import annotations

import datetime
import io

import pytest

from quality.reports import figures
from quality.reports.models import PeriodicReport
from quality.reports.paperwork import _write_pdf
from tests.assessments.test_paper_layout import keep
from tests.pdf_layout import layout_problems, lonely_pages, page_count

pytestmark = pytest.mark.django_db


def letter(report: PeriodicReport) -> bytes:
    out = io.BytesIO()
    _write_pdf(None, {"report": report.pk}, out, lambda *_: None)
    return out.getvalue()


@pytest.mark.slow
def test_the_bnsp_letters_signature_stays_with_its_text_at_every_length(on_23_november):
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    report = PeriodicReport.objects.create(kind="quarter", year=2026, part=3, starts_on=start, ends_on=end,
                                           letter_number="012/LSP-ASM/XI/2026", figures=figures.compute(start, end),
                                           computed_at=datetime.datetime(2026, 10, 2, 9, tzinfo=datetime.UTC))
    problems, counts = [], []
    for rows in range(0, 40, 2):  # the unit rows push the closing paragraph and the signature over the page's end
        report.figures["units"] = [{"scheme": f"SKM-{i:02d}", "unit_code": f"M.8211.{i:03d}.01",
                                    "title": "Menyusun rencana pengembangan kompetensi pegawai", "k": i, "bk": 1}
                                   for i in range(rows)]
        report.save(update_fields=["figures"])
        pdf = letter(report)
        keep(pdf, f"bnsp-letter-{rows:02d}")
        counts.append(page_count(pdf))
        problems += layout_problems(pdf, name=f"{rows} unit rows")
    assert counts[0] == 1 and counts[-1] >= 2, counts  # the range crosses the page's end
    assert problems == [], "\n".join(problems)


def test_the_lonely_page_check_sees_a_signature_block_alone_and_not_a_page_of_text():
    import weasyprint

    body = "<p>Isi surat.</p>" * 3
    sign = '<div style="margin-left: 55%">Jakarta, 2 Oktober 2026<br>Pimpinan LSP<br><br>Nama Penanda Tangan</div>'
    alone = weasyprint.HTML(string=f'{body}<div style="break-before: page">{sign}</div>').write_pdf()
    together = weasyprint.HTML(string=f'{body}<div style="break-before: page"><p>Penutup.</p>{sign}</div>').write_pdf()
    assert "page 2: a signature block alone on the page (Jakarta, 2 Oktober 2026" in lonely_pages(alone)[0]
    assert lonely_pages(together) == []
