"""The project's serializer base classes: a ModelSerializer's fields are built once per class and
copied per instance, so no instance sees what another did to its fields."""
from core import serializers
from core.text import validate_single_line
from startups.models import Startup


class StartupNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Startup
        fields = ["id", "name", "description"]


def test_each_instance_has_fields_of_its_own():
    first, second = StartupNameSerializer(), StartupNameSerializer()
    first.fields["name"].read_only = True
    first.fields["name"].validators.append(str)

    assert second.fields["name"] is not first.fields["name"]
    assert second.fields["name"].read_only is False
    assert str not in second.fields["name"].validators


def test_the_single_line_check_is_added_once_however_many_instances():
    for _ in range(3):
        fields = StartupNameSerializer().fields

    assert fields["name"].validators.count(validate_single_line) == 1
    assert validate_single_line not in fields["description"].validators  # a TextField: lines allowed


def test_a_copied_field_still_validates_as_built_from_the_model():
    serializer = StartupNameSerializer(data={"name": "x" * 201})

    assert not serializer.is_valid()
    assert "name" in serializer.errors
    assert not StartupNameSerializer(data={"name": "Two\nlines"}).is_valid()
