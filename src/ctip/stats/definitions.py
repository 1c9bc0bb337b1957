"""The versioned table of metric definitions: what each figure of the annual review counts.

Every figure CTIP publishes is one of these metrics. A definition says, in English and in
Khmer, what is counted (``unit``: cases, persons, events or days) and who is in the
denominator. For multi-select groups (exploitation types, means of control, recruitment apps)
CTDC's rule applies: a share is computed only over the units that answered the group, and a
unit with two answers counts once under each, so the cells add up to more than the total.

The definitions are printed as the annex of every report, and goals (``ctip.stats.goals``)
name a metric from here. Change a definition → bump ``VERSION`` and say why in
``docs/statistics.md``; reports carry the version they were computed with.

Khmer texts are drafts awaiting review by a native speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ctip.stats.tables import Unit

VERSION = "2026.1"


def _(message: str) -> str:
    """Marks a title for the translation catalogue (``stats.po``); translated when shown."""
    return message


Direction = Literal["up", "down"]

ALL_CASES = _("All cases opened in the period, within the reader's scope.")
CASES_ANSWERED = _("Cases opened in the period with at least one value recorded for this group.")
FORCED_LABOUR_ANSWERED = _("Forced-labour cases opened in the period with this field recorded.")
VICTIMS_ALL = _("Distinct victims on cases opened in the period.")
VICTIMS_ANSWERED = _("Distinct victims on cases opened in the period who answered this group.")
SUSPECTS_ALL = _("Distinct suspects and brokers on cases in scope, by the date of the step.")
CHARGED_CASES = _("Cases charged (resp. with a verdict) in the period with a known start date.")
OPEN_CASES = _("Cases without a verdict or closure at the end of the period.")
FLAGS_ALL = _("Non-punishment flags on persons of cases in scope.")


@dataclass(frozen=True)
class Metric:
    """One figure: its id, title (a message id), written definition and denominator."""

    id: str
    title: str
    unit: Unit
    definition_en: str
    definition_km: str
    denominator: str
    multi_select: bool = False
    direction: Direction = "up"
    headline: bool = False
    drill: str | None = None  # the case-list filter behind the figure, if any

    def definition(self, language: str) -> str:
        return self.definition_km if language == "km" else self.definition_en


METRICS: tuple[Metric, ...] = (
    Metric(
        "cases.total",
        _("Cases intervened in and investigated"),
        "cases",
        "Cases opened (first reported) in the period: every case an authority intervened in "
        "or investigated, whatever its later outcome.",
        "សំណុំរឿងដែលបានបើក (រាយការណ៍ដំបូង) ក្នុងរយៈពេលនេះ៖ គ្រប់សំណុំរឿងដែលអាជ្ញាធរបានអន្តរាគមន៍ "
        "ឬស៊ើបអង្កេត ទោះលទ្ធផលក្រោយមកយ៉ាងណាក៏ដោយ។",
        ALL_CASES,
        headline=True,
        drill="all",
    ),
    Metric(
        "cases.by_exploitation_type",
        _("Cases by type of exploitation"),
        "cases",
        "Cases opened in the period per HTCDS type of exploitation; a case of several types "
        "counts under each.",
        "សំណុំរឿងតាមប្រភេទនៃការកេងប្រវ័ញ្ច (HTCDS)៖ សំណុំរឿងដែលមានច្រើនប្រភេទ រាប់ក្នុងប្រភេទនីមួយៗ។",
        CASES_ANSWERED,
        multi_select=True,
        drill="exploitation_type",
    ),
    Metric(
        "cases.forced_labour",
        _("Cases of forced labour"),
        "cases",
        "Cases opened in the period with forced labour among their types of exploitation.",
        "សំណុំរឿងដែលមានពលកម្មដោយបង្ខំ ក្នុងចំណោមប្រភេទនៃការកេងប្រវ័ញ្ច។",
        ALL_CASES,
        headline=True,
        drill="exploitation_type",
    ),
    Metric(
        "cases.online_scam",
        _("Cases of forced criminality in online-scam compounds"),
        "cases",
        "Forced-labour cases opened in the period whose sub-type is forced criminality in an "
        "online-scam compound.",
        "សំណុំរឿងពលកម្មដោយបង្ខំ ដែលជាប្រភេទរងនៃការបង្ខំឱ្យប្រព្រឹត្តបទល្មើសនៅមជ្ឈមណ្ឌលបោកប្រាស់អនឡាញ។",
        ALL_CASES,
        headline=True,
    ),
    Metric(
        "cases.by_subtype",
        _("Forced-labour cases by sub-type"),
        "cases",
        "Forced-labour cases opened in the period by recorded sub-type (one per case).",
        "សំណុំរឿងពលកម្មដោយបង្ខំ តាមប្រភេទរង (មួយក្នុងមួយសំណុំរឿង)។",
        FORCED_LABOUR_ANSWERED,
    ),
    Metric(
        "cases.by_industry",
        _("Forced-labour cases by industry"),
        "cases",
        "Forced-labour cases opened in the period by ISIC Rev.4 section of the industry.",
        "សំណុំរឿងពលកម្មដោយបង្ខំ តាមផ្នែកឧស្សាហកម្ម ISIC Rev.4។",
        FORCED_LABOUR_ANSWERED,
    ),
    Metric(
        "cases.by_province",
        _("Cases by province"),
        "cases",
        "Cases opened in the period by the province that registered them.",
        "សំណុំរឿងតាមខេត្តដែលបានចុះបញ្ជី។",
        ALL_CASES,
        drill="province",
    ),
    Metric(
        "cases.by_border_crossing",
        _("Cases by border crossing"),
        "cases",
        "Cases opened in the period with a timeline event at a main border crossing; a case "
        "through two crossings counts under each.",
        "សំណុំរឿងដែលមានព្រឹត្តិការណ៍នៅច្រកព្រំដែនធំៗ៖ សំណុំរឿងឆ្លងកាត់ច្រកពីរ រាប់ក្នុងច្រកនីមួយៗ។",
        CASES_ANSWERED,
        multi_select=True,
    ),
    Metric(
        "cases.involving_women",
        _("Cases involving women"),
        "cases",
        "Cases opened in the period with at least one female victim aged 18 or over (or of "
        "unknown age) when the case was opened.",
        "សំណុំរឿងដែលមានជនរងគ្រោះជាស្ត្រីយ៉ាងហោចណាស់ម្នាក់ អាយុ ១៨ ឆ្នាំឡើងទៅ (ឬមិនដឹងអាយុ) នៅពេលបើកសំណុំរឿង។",
        ALL_CASES,
        headline=True,
    ),
    Metric(
        "cases.nationalities_of_women",
        _("Nationalities among women in these cases"),
        "persons",
        "Number of distinct nationalities among the women counted in cases involving women.",
        "ចំនួនសញ្ជាតិផ្សេងៗគ្នា ក្នុងចំណោមស្ត្រីដែលបានរាប់ក្នុងសំណុំរឿងពាក់ព័ន្ធនឹងស្ត្រី។",
        VICTIMS_ANSWERED,
        headline=True,
    ),
    Metric(
        "cases.forced_labour_involving_women",
        _("Forced-labour cases involving women"),
        "cases",
        "Forced-labour cases opened in the period involving women (as above).",
        "សំណុំរឿងពលកម្មដោយបង្ខំ ដែលពាក់ព័ន្ធនឹងស្ត្រី (ដូចខាងលើ)។",
        ALL_CASES,
        headline=True,
    ),
    Metric(
        "cases.forced_labour_nationalities_of_women",
        _("Nationalities among women in forced-labour cases"),
        "persons",
        "Distinct nationalities among the women in forced-labour cases involving women.",
        "ចំនួនសញ្ជាតិផ្សេងៗគ្នា ក្នុងចំណោមស្ត្រីក្នុងសំណុំរឿងពលកម្មដោយបង្ខំ។",
        VICTIMS_ANSWERED,
        headline=True,
    ),
    Metric(
        "victims.total",
        _("Victims"),
        "persons",
        "Distinct persons in the role of victim on cases opened in the period; when record "
        "linkage has run, records of one resolved person count once.",
        "បុគ្គលផ្សេងៗគ្នាក្នុងតួនាទីជនរងគ្រោះ លើសំណុំរឿងដែលបានបើកក្នុងរយៈពេលនេះ៖ "
        "បើការភ្ជាប់កំណត់ត្រាបានដំណើរការ កំណត់ត្រារបស់បុគ្គលតែមួយរាប់តែម្ដង។",
        VICTIMS_ALL,
        headline=True,
    ),
    Metric(
        "victims.by_sex",
        _("Victims by sex"),
        "persons",
        "Victims by recorded gender (HTCDS prs_Gender).",
        "ជនរងគ្រោះតាមភេទដែលបានកត់ត្រា (HTCDS prs_Gender)។",
        VICTIMS_ALL,
    ),
    Metric(
        "victims.children",
        _("Child victims"),
        "persons",
        "Victims under 18 when the case was opened (from the date of birth, else the estimated "
        "age).",
        "ជនរងគ្រោះអាយុក្រោម ១៨ ឆ្នាំ នៅពេលបើកសំណុំរឿង (ពីថ្ងៃខែឆ្នាំកំណើត ឬអាយុប៉ាន់ស្មាន)។",
        VICTIMS_ANSWERED,
        headline=True,
    ),
    Metric(
        "victims.by_age_group",
        _("Victims: children and adults"),
        "persons",
        "Victims as child (under 18) or adult when the case was opened; unknown when neither a "
        "date of birth nor an estimated age is recorded.",
        "ជនរងគ្រោះជាកុមារ (ក្រោម ១៨) ឬមនុស្សពេញវ័យ នៅពេលបើកសំណុំរឿង៖ មិនដឹង បើគ្មានថ្ងៃកំណើត ឬអាយុប៉ាន់ស្មាន។",
        VICTIMS_ALL,
    ),
    Metric(
        "victims.by_age_band",
        _("Victims by age band (CTDC)"),
        "persons",
        "Victims by CTDC's broad age bands 0–8, 9–17, 18–20, 21–23, 24–26, 27–29, 30–38, 39–47, "
        "48+ when the case was opened.",
        "ជនរងគ្រោះតាមក្រុមអាយុ CTDC ០–៨, ៩–១៧, ១៨–២០, ២១–២៣, ២៤–២៦, ២៧–២៩, ៣០–៣៨, ៣៩–៤៧, ៤៨+ ។",
        VICTIMS_ANSWERED,
    ),
    Metric(
        "victims.by_nationality",
        _("Victims by nationality"),
        "persons",
        "Victims by nationality; a person of two nationalities counts under each.",
        "ជនរងគ្រោះតាមសញ្ជាតិ៖ បុគ្គលមានសញ្ជាតិពីរ រាប់ក្នុងសញ្ជាតិនីមួយៗ។",
        VICTIMS_ANSWERED,
        multi_select=True,
    ),
    Metric(
        "victims.by_origin_province",
        _("Victims by province of origin"),
        "persons",
        "Victims by the Cambodian province of the recruitment event on their case.",
        "ជនរងគ្រោះតាមខេត្តដើម (ខេត្តនៃព្រឹត្តិការណ៍ជ្រើសរើសលើសំណុំរឿង)។",
        VICTIMS_ANSWERED,
    ),
    Metric(
        "victims.by_recruitment_method",
        _("Victims by method of recruitment"),
        "persons",
        "Victims by HTCDS method of recruitment.",
        "ជនរងគ្រោះតាមវិធីជ្រើសរើស (HTCDS)។",
        VICTIMS_ANSWERED,
    ),
    Metric(
        "victims.by_recruitment_app",
        _("Victims by recruitment website or app"),
        "persons",
        "Victims by website or app used to recruit them; several apps count under each.",
        "ជនរងគ្រោះតាមគេហទំព័រ ឬកម្មវិធីដែលប្រើជ្រើសរើស៖ កម្មវិធីច្រើន រាប់ក្នុងនីមួយៗ។",
        VICTIMS_ANSWERED,
        multi_select=True,
    ),
    Metric(
        "victims.by_means_of_control",
        _("Victims by means of control"),
        "persons",
        "Victims by HTCDS method of control used on them; several means count under each.",
        "ជនរងគ្រោះតាមមធ្យោបាយត្រួតត្រា (HTCDS)៖ មធ្យោបាយច្រើន រាប់ក្នុងនីមួយៗ។",
        VICTIMS_ANSWERED,
        multi_select=True,
    ),
    Metric(
        "victims.screened",
        _("Victims screened"),
        "persons",
        "Distinct persons screened for trafficking indicators in the period (screening date) "
        "on cases in scope.",
        "បុគ្គលផ្សេងៗគ្នាដែលបានពិនិត្យរកសូចនាករជួញដូរ ក្នុងរយៈពេលនេះ។",
        VICTIMS_ALL,
        headline=True,
    ),
    Metric(
        "victims.identified",
        _("Victims identified, by status and deciding organisation"),
        "persons",
        "Victims by HTCDS trafficking status and the type of organisation that decided it.",
        "ជនរងគ្រោះតាមស្ថានភាពជួញដូរ (HTCDS) និងប្រភេទស្ថាប័នដែលបានសម្រេច។",
        VICTIMS_ANSWERED,
    ),
    Metric(
        "victims.identified_actual",
        _("Victims identified as actual victims"),
        "persons",
        "Victims whose trafficking status is ActualVictimOfTrafficking.",
        "ជនរងគ្រោះដែលស្ថានភាពជួញដូរជា ជនរងគ្រោះពិតប្រាកដ។",
        VICTIMS_ANSWERED,
        headline=True,
    ),
    Metric(
        "victims.referred",
        _("Victims referred, by service"),
        "persons",
        "Distinct persons referred for a service in the period (referral date); a person "
        "referred for two services counts under each.",
        "បុគ្គលដែលបានបញ្ជូនទៅទទួលសេវា ក្នុងរយៈពេលនេះ៖ សេវាពីរ រាប់ក្នុងសេវានីមួយៗ។",
        VICTIMS_ALL,
        multi_select=True,
    ),
    Metric(
        "victims.referred_total",
        _("Victims referred"),
        "persons",
        "Distinct persons referred for any service in the period.",
        "បុគ្គលផ្សេងៗគ្នាដែលបានបញ្ជូនទៅទទួលសេវាណាមួយ។",
        VICTIMS_ALL,
        headline=True,
    ),
    Metric(
        "victims.repatriated",
        _("Cases with victims repatriated"),
        "cases",
        "Cases in scope with a repatriation event in the period.",
        "សំណុំរឿងដែលមានព្រឹត្តិការណ៍បញ្ជូនជនរងគ្រោះត្រឡប់ទៅស្រុកកំណើត ក្នុងរយៈពេលនេះ។",
        ALL_CASES,
        headline=True,
    ),
    Metric(
        "nonpunishment.raised",
        _("Non-punishment flags raised"),
        "persons",
        "Persons both victim and suspect flagged in the period (date raised).",
        "បុគ្គលដែលជាជនរងគ្រោះផង និងជនសង្ស័យផង ដែលបានលើកទង់ ក្នុងរយៈពេលនេះ។",
        FLAGS_ALL,
        headline=True,
    ),
    Metric(
        "nonpunishment.decided",
        _("Non-punishment flags decided"),
        "persons",
        "Non-punishment flags decided in the period (applied or not applied), by decision.",
        "ទង់មិនដាក់ទោសដែលបានសម្រេច ក្នុងរយៈពេលនេះ (អនុវត្ត ឬមិនអនុវត្ត)។",
        FLAGS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.arrested",
        _("Suspects arrested"),
        "persons",
        "Distinct suspects and brokers arrested in the period (arrest date).",
        "ជនសង្ស័យ និងឈ្មួញកណ្ដាលដែលត្រូវបានចាប់ខ្លួន ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.charged",
        _("Suspects charged"),
        "persons",
        "Suspects and brokers on cases charged in the period.",
        "ជនសង្ស័យលើសំណុំរឿងដែលត្រូវបានចោទប្រកាន់ ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.at_trial",
        _("Suspects brought to trial"),
        "persons",
        "Suspects and brokers on cases whose trial opened in the period.",
        "ជនសង្ស័យលើសំណុំរឿងដែលការជំនុំជម្រះបានចាប់ផ្ដើម ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.convicted",
        _("Suspects convicted"),
        "persons",
        "Suspects and brokers on cases with a conviction in the period.",
        "ជនសង្ស័យលើសំណុំរឿងដែលមានសាលក្រមផ្ដន្ទាទោស ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.acquitted",
        _("Suspects acquitted"),
        "persons",
        "Suspects and brokers on cases with an acquittal in the period.",
        "ជនសង្ស័យលើសំណុំរឿងដែលត្រូវបានរួចទោស ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        headline=True,
    ),
    Metric(
        "suspects.absconded",
        _("Suspects absconded"),
        "persons",
        "Suspects and brokers recorded as absconded, on cases opened in the period.",
        "ជនសង្ស័យដែលបានរត់គេចខ្លួន លើសំណុំរឿងដែលបានបើកក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        direction="down",
        headline=True,
    ),
    Metric(
        "suspects.convicted_in_absentia",
        _("Convictions in absentia"),
        "persons",
        "Suspects convicted in the period while recorded as absconded or at large.",
        "ជនសង្ស័យដែលត្រូវបានផ្ដន្ទាទោសកំបាំងមុខ (រត់គេចខ្លួន ឬនៅក្រៅឃុំ) ក្នុងរយៈពេលនេះ។",
        SUSPECTS_ALL,
        direction="down",
        headline=True,
    ),
    Metric(
        "durations.intervention_to_charge",
        _("Days from intervention to charge"),
        "days",
        "For cases charged in the period: days from the first intervention (else the opening "
        "date) to the charge; median and 90th percentile.",
        "សម្រាប់សំណុំរឿងដែលត្រូវបានចោទប្រកាន់៖ ចំនួនថ្ងៃពីអន្តរាគមន៍ដំបូង (ឬថ្ងៃបើក) ដល់ការចោទប្រកាន់ "
        "មធ្យមភាគកណ្ដាល និងភាគរយទី ៩០។",
        CHARGED_CASES,
        direction="down",
        headline=True,
    ),
    Metric(
        "durations.intervention_to_verdict",
        _("Days from intervention to verdict"),
        "days",
        "For cases with a verdict in the period: days from the first intervention (else the "
        "opening date) to the verdict; median and 90th percentile.",
        "សម្រាប់សំណុំរឿងដែលមានសាលក្រម៖ ចំនួនថ្ងៃពីអន្តរាគមន៍ដំបូង (ឬថ្ងៃបើក) ដល់សាលក្រម មធ្យមភាគកណ្ដាល និងភាគរយទី ៩០។",
        CHARGED_CASES,
        direction="down",
        headline=True,
    ),
    Metric(
        "cases.stalled",
        _("Cases stalled"),
        "cases",
        "Cases open at the end of the period (no verdict, not closed) with no timeline event "
        "for the configured number of days.",
        "សំណុំរឿងនៅបើកចំហ (គ្មានសាលក្រម មិនបានបិទ) ដែលគ្មានព្រឹត្តិការណ៍ក្នុងចំនួនថ្ងៃដែលបានកំណត់។",
        OPEN_CASES,
        direction="down",
        headline=True,
        drill="stalled",
    ),
)

BY_ID: dict[str, Metric] = {m.id: m for m in METRICS}
HEADLINES: tuple[str, ...] = tuple(m.id for m in METRICS if m.headline)


def metric(metric_id: str) -> Metric:
    """The definition of ``metric_id`` (``KeyError`` for an unknown one)."""
    return BY_ID[metric_id]
