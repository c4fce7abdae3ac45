"""The regulation's enumerations: who may apply, grounds for denial and removal, penalty culpability.

Values are the machine names forms and diagrams use; the texts are what notices say.
"""

from __future__ import annotations

# §163.2(a): persons who must keep and produce entry records (§163.12(b)(1): who may apply).
RECORDKEEPER_CLASSES = {
    "owner": "an owner of the merchandise",
    "importer": "an importer",
    "consignee": "a consignee",
    "importer_of_record": "an importer of record",
    "entry_filer": "an entry filer",
    "drawback_claimant": "a drawback claimant",
    "bonded_carrier_or_storage": "a person transporting or storing merchandise carried or held under bond",
    "agent": "an agent of one of these persons",
    "declarant": "a person whose activities require the filing of a declaration or entry",
}

# §163.12(b)(3)(i)-(vi): what an applicant must show.
SHOWING = {
    "i": "understands the legal requirements for recordkeeping (which records, for how long)",
    "ii": "has procedures to explain the recordkeeping requirements to the employees involved",
    "iii": "has procedures to prepare, maintain and produce the required records",
    "iv": "has designated a dependable individual responsible for recordkeeping compliance",
    "v": "has a record-maintenance procedure acceptable to CBP or an alternative method (§163.5(b))",
    "vi": "has procedures to notify CBP of variances and violations and to take corrective action",
}

# §163.13(b)(1): grounds for denying an application.
DENIAL_GROUNDS = {
    "fails_certification_requirements": "the applicant has not met the requirements of §163.12(b)(3)",
    "removal_circumstance": "a circumstance exists that would justify removal of certification (§163.13(c))",
    "not_in_compliance": "the applicant appears not to comply with the customs laws and regulations",
}

# §163.13(c)(1): grounds for removing certification (numbered in the order of the rule summary).
REMOVAL_GROUNDS = {
    "fraud_or_mistake": "(i) the certification was obtained through fraud or a mistake of fact",
    "no_valid_bond": "(ii) the participant no longer has a valid bond",
    "recurring_failure_to_produce": "(iii) the participant repeatedly failed to provide demanded records",
    "willful_refusal_to_produce": "(iv) the participant willfully refused to produce a demanded record",
    "not_in_compliance": (
        "(v) the participant is no longer in compliance with the customs laws and regulations,"
        " including the requirements of §163.12(b)(3)"
    ),
    "criminal_conduct": (
        "(vi) the participant was convicted of a felony, or committed acts amounting to a misdemeanor"
        " or felony involving theft, smuggling or a theft-connected crime"
    ),
}

# §163.13(c)(3): when a removal takes effect at once.
IMMEDIATE_BASES = {
    "willfulness": "the violation was willful",
    "public_health_interest_safety": "the public health, interest or safety so requires",
}

CULPABILITY = ("willful", "negligent")  # §163.6(b)(1)


def describe(table: dict[str, str], keys: list[str]) -> list[str]:
    """Return the texts of ``keys``, refusing a key the regulation does not know."""
    unknown = [k for k in keys if k not in table]
    if unknown:
        raise ValueError(f"unknown value(s) {', '.join(unknown)}; expected one of {', '.join(table)}")
    return [table[k] for k in keys]
