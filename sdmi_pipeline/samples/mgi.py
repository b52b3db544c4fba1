"""Illustrative MGI assessment files (spec §2.7), written deterministically.

The real 2023 MGI assessments of Indonesia (98 indicators) and of Jawa Tengah (76 indicators)
are not published in machine-readable form, so these files are **illustrative**: the numbers of
indicators are the real ones, the questions are MGI-style questions written for the sample, and
the answers, justifications and highlights are drawn from a seeded generator. Every row's
`sumber` starts with `ILUSTRASI / ILLUSTRATIVE: not an official MGI result`, and the workbook
carries a second sheet `Catatan` that says so (the reader ignores it and reports it).

- `mgi/mgi_nasional_IDN_2023.csv`: semicolon-delimited UTF-8 with a byte order mark, domains by
  number, answers in Indonesian (Ya / Sebagian / Tidak), `sorotan` 1 or empty.
- `mgi/mgi_lokal_33_2023.xlsx`: a title row above the header, domains by their Indonesian name,
  answers in English (Yes / Partially / No), `sorotan` as numbers 1 / 0, and the `Catatan` sheet.

`python -m sdmi_pipeline.samples.mgi [raw_root]` writes both files and reads them back;
`check_mgi_samples` raises SampleCheckError when a count does not hold. The same seed writes
identical bytes.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from sdmi_pipeline.ingest.sample_marker import mark
from sdmi_pipeline.reference.codes import MGI_DOMAINS
from sdmi_pipeline.samples.files import expect, write_and_check

ILLUSTRATIVE_MARK = "ILUSTRASI / ILLUSTRATIVE: not an official MGI result"
COLUMNS = ["indikator_id", "domain", "pertanyaan", "jawaban", "justifikasi", "sumber", "sorotan"]
NATIONAL_AUTHORITY = "the national government"
LOCAL_AUTHORITY = "the provincial government"

# MGI-style questions per domain, written for the sample (not the MGI questionnaire's wording).
QUESTIONS: dict[int, list[str]] = {
    1: [
        "Do all migrants have access to emergency health care regardless of their migration status?",
        "Do migrant children have access to public primary and secondary education on the same basis "
        "as nationals?",
        "Can migrants with a residence permit access social protection on the same basis as nationals?",
        "Does {authority} provide migrants with information on their rights in a language they understand?",
        "Can migrants in an irregular situation report crimes to the police without risk of being reported "
        "to immigration?",
        "Is family reunification possible for migrants holding a permanent residence permit?",
        "Do migrant workers have the right to join a trade union?",
        "Is there a legal framework against discrimination on the grounds of nationality in employment?",
        "Do foreign workers have the same minimum wage protection as nationals?",
        "Can long-term residents acquire citizenship through naturalisation?",
        "Is dual citizenship permitted for children of mixed-nationality parents until adulthood?",
        "Do returning migrant workers have access to legal aid for claims against employers abroad?",
        "Is there a complaints mechanism for migrant workers whose rights were violated during placement?",
        "Are refugees and asylum-seekers allowed to access primary education?",
        "Can migrants open a bank account with a foreign passport and a residence permit?",
        "Is the detention of migrant children prohibited by law or policy?",
        "Do migrant workers have access to the national health insurance on the same basis as nationals?",
        "Does {authority} monitor the protection of migrant workers' rights in placement agreements?",
        "Are the rights of migrant workers and their families set out in law?",
    ],
    2: [
        "Is there a dedicated government agency responsible for the protection of migrant workers?",
        "Is there an inter-agency coordination mechanism on migration issues?",
        "Does {authority} have a migration strategy with measurable targets?",
        "Is migration policy consistent with the development plan?",
        "Does {authority} collect and publish migration data disaggregated by sex and age?",
        "Is there a statistics programme covering international migration?",
        "Are census data used to measure emigration and immigration?",
        "Does {authority} publish an annual report on migrant worker placements?",
        "Is there a one-stop service centre for prospective migrant workers?",
        "Does {authority} consult civil society when drafting migration policy?",
        "Is there a policy framework to engage the diaspora in development?",
        "Does {authority} keep a diaspora registry?",
        "Is information on visa and residence requirements publicly available online?",
        "Are migration policies evaluated regularly and the results published?",
        "Is there a dedicated budget line for the protection of migrant workers?",
        "Are village governments involved in the pre-departure training of migrant workers?",
        "Does {authority} share migration data among agencies through an integrated system?",
        "Is there a focal point for migration in each relevant agency?",
        "Does {authority} have a labour market information system that includes foreign workers?",
    ],
    3: [
        "Are there bilateral agreements on labour migration with the main destination countries?",
        "Does {authority} take part in a regional consultative process on migration?",
        "Does {authority} work with IOM on migration programmes?",
        "Has the International Convention on the Protection of the Rights of All Migrant Workers been "
        "ratified?",
        "Does {authority} cooperate with destination countries on the recognition of skills?",
        "Are there partnerships with the private sector on ethical recruitment?",
        "Does {authority} cooperate with civil society organisations on migrant protection?",
        "Does {authority} cooperate with universities on migration research?",
        "Are there memoranda of understanding on the return and reintegration of migrants?",
        "Does {authority} take part in ASEAN mechanisms on migrant workers' rights?",
        "Does {authority} work with trade unions in destination countries?",
        "Are there partnerships with diaspora organisations?",
        "Does {authority} cooperate with other countries against trafficking in persons?",
        "Are there agreements on the portability of migrant workers' social security?",
        "Does {authority} cooperate with international organisations on migration data?",
        "Does {authority} involve employers' associations in labour migration policy?",
        "Are there twinning arrangements with local governments abroad?",
        "Does {authority} cooperate with neighbouring countries on border management?",
        "Is there a partnership with UN agencies on refugee protection?",
    ],
    4: [
        "Does {authority} assess labour market needs before admitting foreign workers?",
        "Are foreign qualifications recognised for employment?",
        "Are there programmes to promote the ethical recruitment of migrant workers?",
        "Is there a cap on the recruitment fees charged to migrant workers?",
        "Are migrant workers exempt from placement costs?",
        "Does {authority} provide pre-departure vocational training?",
        "Are there programmes to reduce the cost of sending remittances?",
        "Does {authority} promote financial literacy among migrant workers and their families?",
        "Are there reintegration programmes for returning migrant workers?",
        "Do returning migrants have access to business start-up support?",
        "Are there measures to encourage the productive investment of remittances?",
        "Does {authority} support student mobility through scholarships abroad?",
        "Are international students allowed to work during their studies?",
        "Is there a programme to attract skilled members of the diaspora back?",
        "Does {authority} monitor the employment of returning migrants?",
        "Are there support services for the families that migrant workers leave behind?",
        "Is there a programme for villages with many migrant workers?",
        "Does {authority} offer language training to prospective migrant workers?",
        "Are there measures to limit the emigration of health workers where they are scarce?",
    ],
    5: [
        "Does the disaster management plan include measures for migrants?",
        "Is there a strategy to assist nationals abroad in times of crisis?",
        "Does {authority} have a mechanism to evacuate migrant workers from crisis areas?",
        "Can nationals abroad be traced during emergencies?",
        "Are early warning messages available in languages other than Indonesian?",
        "Does {authority} address displacement caused by natural hazards?",
        "Is there a policy on people displaced within the country by disasters?",
        "Does {authority} have measures to reintegrate migrants returning because of a crisis?",
        "Were migrants included in the COVID-19 vaccination programme regardless of status?",
        "Does {authority} give temporary protection to people fleeing crises abroad?",
        "Is there an emergency fund for migrant workers in distress abroad?",
        "Is migration related to climate change considered in planning?",
        "Are there contingency plans for large arrivals of refugees by sea?",
        "Does {authority} coordinate with destination countries to protect migrant workers in crises?",
    ],
    6: [
        "Is there a system to monitor visa overstays?",
        "Is there an electronic visa system?",
        "Does {authority} have a border management information system?",
        "Are border officials trained to identify victims of trafficking?",
        "Is there an action plan against trafficking in persons?",
        "Is the smuggling of migrants a criminal offence?",
        "Must prospective migrant workers register before departure?",
        "Does {authority} license and monitor private recruitment agencies?",
        "Are sanctions imposed on recruitment agencies that break the rules?",
        "Is there a programme to inform prospective migrants of the risks of irregular migration?",
        "Do victims of trafficking have access to shelters and assistance?",
        "Is there a programme for the assisted voluntary return of migrants?",
        "Are there measures against document fraud?",
        "Does {authority} issue biometric passports?",
        "Is there a database of migrant workers placed abroad?",
        "Are there regular labour migration channels for workers in lower-skilled jobs?",
        "Is there a mechanism to regularise migrants in an irregular situation?",
        "Does {authority} receive advance passenger information from airlines?",
        "Are migrant workers' employment contracts verified before departure?",
    ],
}
# Laws and plans an answer of each domain might rest on (real titles; the link to a question is illustrative).
REFERENCES: dict[int, tuple[str, ...]] = {
    1: (
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
        "UU No. 39 Tahun 1999 tentang Hak Asasi Manusia",
        "UU No. 12 Tahun 2006 tentang Kewarganegaraan Republik Indonesia",
    ),
    2: (
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
        "Perpres No. 18 Tahun 2020 tentang RPJMN 2020-2024",
        "UU No. 16 Tahun 1997 tentang Statistik",
    ),
    3: (
        "UU No. 6 Tahun 2012 tentang Pengesahan Konvensi Internasional tentang Perlindungan Hak-Hak "
        "Seluruh Pekerja Migran dan Anggota Keluarganya",
        "UU No. 37 Tahun 1999 tentang Hubungan Luar Negeri",
    ),
    4: (
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
        "UU No. 13 Tahun 2003 tentang Ketenagakerjaan",
        "Perpres No. 20 Tahun 2018 tentang Penggunaan Tenaga Kerja Asing",
    ),
    5: (
        "UU No. 24 Tahun 2007 tentang Penanggulangan Bencana",
        "Perpres No. 125 Tahun 2016 tentang Penanganan Pengungsi dari Luar Negeri",
    ),
    6: (
        "UU No. 6 Tahun 2011 tentang Keimigrasian",
        "UU No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang",
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
    ),
}
JUSTIFICATION = {
    "YES": "Ilustrasi / illustrative: a measure covering the question is in place.",
    "PARTIAL": "Ilustrasi / illustrative: a measure exists but covers only part of the question.",
    "NO": "Ilustrasi / illustrative: no measure covering the question was identified.",
}
ANSWER_WEIGHTS = {"YES": 0.5, "PARTIAL": 0.3, "NO": 0.2}
INDONESIAN_ANSWER = {"YES": "Ya", "PARTIAL": "Sebagian", "NO": "Tidak"}
ENGLISH_ANSWER = {"YES": "Yes", "PARTIAL": "Partially", "NO": "No"}


@dataclass(frozen=True)
class SampleAssessment:
    """One illustrative assessment: where it goes and how many indicators and highlights it has."""

    file_name: str
    authority: str
    indicators: dict[int, int]  # domain → indicators
    highlighted: dict[int, int]  # domain → highlighted indicators (three to five)


NATIONAL_2023 = SampleAssessment(
    "mgi_nasional_IDN_2023.csv",
    NATIONAL_AUTHORITY,
    indicators={1: 17, 2: 16, 3: 13, 4: 19, 5: 14, 6: 19},  # 98, the real assessment's count
    highlighted={1: 4, 2: 3, 3: 3, 4: 5, 5: 3, 6: 5},
)
JAWA_TENGAH_2023 = SampleAssessment(
    "mgi_lokal_33_2023.xlsx",
    LOCAL_AUTHORITY,
    indicators={1: 12, 2: 13, 3: 11, 4: 15, 5: 11, 6: 14},  # 76, the real assessment's count
    highlighted={1: 3, 2: 4, 3: 3, 4: 4, 5: 3, 6: 3},
)
SAMPLES = (NATIONAL_2023, JAWA_TENGAH_2023)
FIXED_TIMESTAMP = (2024, 1, 1, 0, 0, 0)  # in the workbook's zip entries, for identical bytes


def responses(sample: SampleAssessment, rng: np.random.Generator) -> pd.DataFrame:
    """Indicator rows with answer codes (YES/PARTIAL/NO) and highlighted flags, by domain."""
    rows = []
    for domain, count in sample.indicators.items():
        picked = sorted(rng.choice(len(QUESTIONS[domain]), size=count, replace=False))
        answers = rng.choice(list(ANSWER_WEIGHTS), size=count, p=list(ANSWER_WEIGHTS.values()))
        highlighted = set(rng.choice(count, size=sample.highlighted[domain], replace=False))
        references = rng.choice(len(REFERENCES[domain]), size=count)
        for number, (question, answer) in enumerate(zip(picked, answers, strict=True), start=1):
            rows.append(
                {
                    "indikator_id": f"{domain}.{number}",
                    "domain": domain,
                    "pertanyaan": QUESTIONS[domain][question].format(authority=sample.authority),
                    "answer": str(answer),
                    "justifikasi": JUSTIFICATION[str(answer)],
                    "sumber": f"{ILLUSTRATIVE_MARK}. {REFERENCES[domain][references[number - 1]]}",
                    "highlighted": number - 1 in highlighted,
                }
            )
    return pd.DataFrame(rows)


def write_national_csv(path: Path, rows: pd.DataFrame) -> Path:
    """Semicolon-delimited UTF-8 with BOM; domain numbers, Indonesian answers, sorotan 1 or empty."""
    delivered = rows.assign(
        jawaban=rows["answer"].map(INDONESIAN_ANSWER), sorotan=rows["highlighted"].map({True: "1", False: ""})
    )[COLUMNS]
    text = io.StringIO()
    delivered.to_csv(text, sep=";", index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return path


def _deterministic(workbook_bytes: bytes) -> bytes:
    """The workbook with fixed zip timestamps and document dates, so the same rows give the same bytes."""
    fixed = "2024-01-01T00:00:00Z"
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + fixed.encode(), data)
            target.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def write_local_xlsx(path: Path, rows: pd.DataFrame, province: str, year: int) -> Path:
    """A title row, then the header; Indonesian domain names, English answers, sorotan 1 / 0; notes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Asesmen"
    sheet.append([f"MGI lokal {province} {year}: {ILLUSTRATIVE_MARK}"])
    sheet.append(COLUMNS)
    for row in rows.itertuples(index=False):
        sheet.append(
            [
                row.indikator_id,
                MGI_DOMAINS[row.domain][1],
                row.pertanyaan,
                ENGLISH_ANSWER[row.answer],
                row.justifikasi,
                row.sumber,
                1 if row.highlighted else 0,
            ]
        )
    notes = workbook.create_sheet("Catatan")
    for line in (
        "ILUSTRASI / ILLUSTRATIVE",
        f"Berkas ini adalah contoh ilustratif, bukan hasil resmi asesmen MGI {province} {year}.",
        f"This file is an illustrative sample, not the official MGI {province} {year} assessment.",
        "The number of indicators (76) is the real assessment's; questions, answers and highlights are "
        "generated by sdmi_pipeline/sample_mgi.py.",
    ):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_deterministic(buffer.getvalue()))
    return path


def write_mgi_samples(raw_root: Path, seed: int = 2023) -> list[Path]:
    """Write the two illustrative assessments under `raw_root`/mgi; return their paths."""
    folder = Path(raw_root) / "mgi"
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    national = responses(NATIONAL_2023, rng)
    local = responses(JAWA_TENGAH_2023, rng)
    written = [
        write_national_csv(folder / NATIONAL_2023.file_name, national),
        write_local_xlsx(folder / JAWA_TENGAH_2023.file_name, local, "Jawa Tengah", 2023),
    ]
    return mark(written, "sdmi_pipeline.samples.mgi", "illustrative answers, not official MGI results")


# ---------------------------------------------------------------------------------------------
# Reading the files back
# ---------------------------------------------------------------------------------------------


def _read_back(path: Path) -> pd.DataFrame:
    """A sample file as delivered, every value as text (not through the pipeline's reader)."""
    if path.suffix == ".csv":
        return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
    expect(list(sheets) == ["Asesmen", "Catatan"], f"{path.name}: sheets {list(sheets)}")
    expect("ILUSTRASI" in " ".join(sheets["Catatan"][0].dropna()), f"{path.name}: Catatan says no ILUSTRASI")
    table = sheets["Asesmen"]
    expect(str(table.iat[0, 0]).endswith(ILLUSTRATIVE_MARK), f"{path.name}: title row")
    return table.iloc[2:].set_axis(table.iloc[1].tolist(), axis=1).fillna("")


def check_assessment(path: Path, sample: SampleAssessment) -> dict[str, Any]:
    rows = _read_back(path)
    expect(list(rows.columns) == COLUMNS, f"{path.name}: columns {list(rows.columns)}")
    expected = sum(sample.indicators.values())
    expect(len(rows) == expected, f"{path.name}: {len(rows)} indicators, expected {expected}")
    expect(not rows["indikator_id"].duplicated().any(), f"{path.name}: a repeated indikator_id")
    expect(rows["sumber"].str.startswith(ILLUSTRATIVE_MARK).all(), f"{path.name}: a sumber without the mark")
    domain = rows["indikator_id"].str.split(".").str[0].astype(int)
    expect(domain.value_counts().to_dict() == sample.indicators, f"{path.name}: indicators per domain")
    highlighted = rows["sorotan"] == "1"
    by_domain = highlighted.groupby(domain).sum().to_dict()
    expect(by_domain == sample.highlighted, f"{path.name}: highlighted per domain {by_domain}")
    expect(all(3 <= count <= 5 for count in by_domain.values()), f"{path.name}: highlights outside 3-5")
    answers = rows["jawaban"].str.lower().value_counts().to_dict()
    return {
        f"{path.name} indicators": len(rows),
        f"{path.name} highlighted": int(highlighted.sum()),
        f"{path.name} answers": answers,
    }


def check_mgi_samples(raw_root: Path) -> dict[str, Any]:
    """Read the sample files back; raise SampleCheckError unless every count holds."""
    folder = Path(raw_root) / "mgi"
    summary: dict[str, Any] = {}
    for sample in SAMPLES:
        summary |= check_assessment(folder / sample.file_name, sample)
    return summary


def main(argv: list[str] | None = None) -> None:
    """`python -m sdmi_pipeline.samples.mgi [raw_root]`: write the files, then check them."""
    write_and_check(write_mgi_samples, check_mgi_samples, argv)


if __name__ == "__main__":
    main()
