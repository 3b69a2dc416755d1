"""Generating numbers for a batch twice at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scopes_disabled

from accounts.models import Organisation, School
from certificates.models import IssuedCertificate, NumberSequence
from certificates.numbering import number_format
from certificates.services.issuance import certificates_generate
from tests.certificates.issuance_helpers import as_org, make_batch, make_class, new_certificate, org_ref
from tests.concurrency import at_once, needs_row_locks


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_parallel_generation_never_gives_a_person_two_numbers_nor_a_number_to_two_people(transactional_db):
    with scopes_disabled():
        organisation = Organisation.objects.create(name="并发发证组织")
        school = School.objects.create(name="并发发证学校")
    certificate = new_certificate(organisation)
    _class, people = make_class(school, "24并发1", 30)
    _class, others = make_class(school, "24并发2", 20)
    one = make_batch(school=school, certificate=certificate, people=people)
    two = make_batch(school=school, certificate=certificate, people=others)
    # two runs for the same batch, and one for another batch of the same certificate and year
    runs = [one.batch.pk, one.batch.pk, two.batch.pk, two.batch.pk]

    def generate(batch_id: int) -> int:
        issued = certificates_generate(
            batch_id=batch_id,
            tenant=org_ref(organisation),
            actor=None,
            issued_on=date(2024, 7, 1),
            assessment_period="2024.6",
        )
        return len(issued)

    outcomes = at_once(generate, runs, lambda: as_org(organisation))
    assert sorted(outcomes, key=str) == sorted([0, 0, 20, 30], key=str), outcomes
    with scopes_disabled():
        issued = list(IssuedCertificate.objects.filter(certificate=certificate))
        assert len(issued) == 50
        assert len({c.result_id for c in issued}) == 50  # nobody twice
        assert {c.number for c in issued} == {
            number_format(code=certificate.code, year=2024, seq=s) for s in range(1, 51)
        }  # no number twice, no gap
        assert NumberSequence.objects.get(certificate=certificate, year=2024).last_value == 50
