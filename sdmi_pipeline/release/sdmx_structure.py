"""The SDMX-ML 2.1 structure message of a release, written with sdmx1: code lists, the concept
scheme, the two DSDs and one dataflow per indicator family, every name in English and Indonesian.

sdmx1 writes every language of a name (`xml:lang="en"` and `"id"`); pysdmx 1.x writes English only.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import sdmx
from sdmx import message
from sdmx.model import common, v21

from sdmi_pipeline.release.layout import DATAFLOWS
from sdmi_pipeline.release.sdmx_codes import CodeList
from sdmi_pipeline.release.sdmx_dsd import (
    AGENCY,
    CONCEPT_SCHEME,
    OBS_VALUE,
    STRUCTURES,
    TIME_PERIOD,
    VERSION,
    Component,
    Structure,
    concepts,
    structure_of,
)

AGENCY_NAMES = {"en": "Statistics Indonesia", "id": "Badan Pusat Statistik"}
DATAFLOW_NAMES = {
    "DF_SDMI_PMI": ("Indonesian migrant workers placed abroad", "Pekerja Migran Indonesia yang ditempatkan"),
    "DF_SDMI_TKA": ("Foreign workers in Indonesia", "Tenaga kerja asing di Indonesia"),
    "DF_SDMI_REFUGEES": ("Refugees and asylum-seekers", "Pengungsi dan pencari suaka"),
    "DF_SDMI_REMITTANCES": ("Remittances of migrant workers", "Remitansi pekerja migran"),
    "DF_SDMI_COVERAGE": ("Coverage of SDMI sources", "Cakupan sumber SDMI"),
}
# Text formats of the components without a code list.
TEXT_FORMATS = {
    TIME_PERIOD.id: common.FacetValueType.observationalTimePeriod,
    OBS_VALUE.id: common.FacetValueType.double,
}


def _names(name_en: str, name_id: str) -> dict[str, str]:
    return {"en": name_en, "id": name_id}


def _maintained(agency: common.Agency) -> dict:
    return {"version": VERSION, "maintainer": agency, "is_final": True, "is_external_reference": False}


def _codelist(code_list: CodeList, agency: common.Agency) -> common.Codelist:
    codelist = common.Codelist(
        id=code_list.id, name=_names(code_list.name_en, code_list.name_id), **_maintained(agency)
    )
    for code in code_list.codes:
        codelist.append(common.Code(id=code.id, name=_names(code.name_en, code.name_id)))
    return codelist


def _concept_scheme(agency: common.Agency) -> common.ConceptScheme:
    scheme = common.ConceptScheme(
        id=CONCEPT_SCHEME, name=_names("SDMI concepts", "Konsep SDMI"), **_maintained(agency)
    )
    for component in concepts().values():
        scheme.append(common.Concept(id=component.id, name=_names(component.name_en, component.name_id)))
    return scheme


def _representation(component: Component, codelists: dict[str, common.Codelist]) -> common.Representation:
    if component.codelist:
        return common.Representation(enumerated=codelists[component.codelist])
    value_type = TEXT_FORMATS.get(component.id, common.FacetValueType.string)
    return common.Representation(non_enumerated=[common.Facet(value_type=value_type)])


def _dsd(
    structure: Structure,
    agency: common.Agency,
    scheme: common.ConceptScheme,
    codelists: dict[str, common.Codelist],
) -> v21.DataStructureDefinition:
    dsd = v21.DataStructureDefinition(
        id=structure.id,
        name=_names(structure.name_en, structure.name_id),
        dimensions=common.DimensionDescriptor(id="DimensionDescriptor"),
        attributes=common.AttributeDescriptor(id="AttributeDescriptor"),
        measures=v21.MeasureDescriptor(id="MeasureDescriptor"),
        **_maintained(agency),
    )

    def identity(component: Component) -> dict:
        return {
            "concept_identity": scheme[component.id],
            "local_representation": _representation(component, codelists),
        }

    for dimension in structure.dimensions:
        dsd.dimensions.getdefault(dimension.id, cls=common.Dimension, **identity(dimension))
    dsd.dimensions.getdefault(TIME_PERIOD.id, cls=common.TimeDimension, **identity(TIME_PERIOD))
    dsd.measures.getdefault(OBS_VALUE.id, **identity(OBS_VALUE))
    for attribute in structure.attributes:
        dsd.attributes.getdefault(
            attribute.id,
            usage_status=common.UsageStatus.mandatory,
            related_to=v21.PrimaryMeasureRelationship(),
            **identity(attribute),
        )
    return dsd


def structure_message(code_lists: dict[str, CodeList], vintage: str) -> message.StructureMessage:
    """The structure of a release: code lists, concepts, DSDs and dataflows."""
    agency = common.Agency(id=AGENCY, name=AGENCY_NAMES)
    codelists = {list_id: _codelist(code_list, agency) for list_id, code_list in code_lists.items()}
    scheme = _concept_scheme(agency)
    dsds = {dsd_id: _dsd(structure, agency, scheme, codelists) for dsd_id, structure in STRUCTURES.items()}
    header = message.Header(
        id=re.sub(r"[^A-Za-z0-9_@$-]", "_", f"SDMI_STRUCTURE_{vintage}"),
        prepared=datetime.now(UTC),
        sender=agency,
    )
    structures = message.StructureMessage(header=header)
    for artefact in (*codelists.values(), scheme, *dsds.values()):
        structures.add(artefact)
    for dataflow, (name_en, name_id) in DATAFLOW_NAMES.items():
        flow = v21.DataflowDefinition(
            id=dataflow,
            name=_names(name_en, name_id),
            structure=dsds[structure_of(dataflow).id],
            **_maintained(agency),
        )
        structures.add(flow)
    missing = set(DATAFLOWS) - set(DATAFLOW_NAMES)
    if missing:
        raise KeyError(
            f"dataflows of release.layout.DATAFLOWS without a name in sdmx_structure: {sorted(missing)}"
        )
    return structures


def write_structure(code_lists: dict[str, CodeList], path: Path, vintage: str) -> None:
    """Write the structure message as SDMX-ML 2.1 to `path`."""
    path.write_bytes(sdmx.to_xml(structure_message(code_lists, vintage), pretty_print=True))
