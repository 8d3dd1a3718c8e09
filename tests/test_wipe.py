"""The wipe after a transactional test (tests/conftest.py): the test's rows go, what migrate made stays."""

from django.contrib.contenttypes.models import ContentType
from django.test import TransactionTestCase

from kader.models import Kompetensi, LevelRule
from posyandu.models import Posyandu, User


def test_the_wipe_removes_the_tests_rows_and_keeps_the_migrations_data(transactional_db, world):
    competencies, rules = list(Kompetensi.objects.values_list("pk", "code")), LevelRule.objects.count()
    content_types = ContentType.objects.count()
    assert competencies and rules and Posyandu.objects.exists() and User.objects.exists()

    case = TransactionTestCase()
    case.databases = {"default"}
    case._fixture_teardown()  # what runs after every transactional test

    assert not Posyandu.objects.exists() and not User.objects.exists()
    assert list(Kompetensi.objects.values_list("pk", "code")) == competencies
    assert LevelRule.objects.count() == rules and ContentType.objects.count() == content_types
