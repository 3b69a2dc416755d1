"""Generating numbers for a batch twice at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django_scopes import scopes_disabled

from accounts.models import Organisation, School
from certificates.models import IssuedCertificate, NumberSequence
from certificates.numbering import number_format
from certificates.services.issuance import certificates_generate
from tests.certificates.issuance_helpers import as_org, make_batch, make_class, new_certificate, org_ref


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("CI"),
    reason="row locks need PostgreSQL (CI runs this on PostgreSQL)",
)
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
    barrier = threading.Barrier(len(runs))
    outcomes: list[object] = []
    lock = threading.Lock()

    def run(batch_id: int) -> None:
        try:
            with as_org(organisation):
                barrier.wait()
                try:
                    result: object = len(
                        certificates_generate(
                            batch_id=batch_id,
                            tenant=org_ref(organisation),
                            actor=None,
                            issued_on=date(2024, 7, 1),
                            assessment_period="2024.6",
                        )
                    )
                except ValidationError as exc:
                    result = " ".join(exc.messages)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(batch_id,)) for batch_id in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str) == sorted([0, 0, 20, 30], key=str), outcomes
    with scopes_disabled():
        issued = list(IssuedCertificate.objects.filter(certificate=certificate))
        assert len(issued) == 50
        assert len({c.result_id for c in issued}) == 50  # nobody twice
        assert {c.number for c in issued} == {
            number_format(code=certificate.code, year=2024, seq=s) for s in range(1, 51)
        }  # no number twice, no gap
        assert NumberSequence.objects.get(certificate=certificate, year=2024).last_value == 50
