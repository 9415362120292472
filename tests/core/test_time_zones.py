"""Time zone names: IANA names pass, Rails display names map to IANA, others are refused by field."""

import pytest

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.time_zones import to_iana


def test_iana_name_is_kept():
    assert to_iana("America/Denver") == "America/Denver"


def test_rails_name_maps_to_iana():
    assert to_iana("Mountain Time (US & Canada)") == "America/Denver"
    assert to_iana("Eastern Time (US & Canada)") == "America/New_York"


def test_unknown_name_names_the_field():
    with pytest.raises(InvalidInput) as err:
        to_iana("Narnia/Cair_Paravel", "course[time_zone]")
    assert err.value.field == "course[time_zone]"
    assert "Narnia" in err.value.message
