"""Time zone names: IANA names, plus the friendlier Rails names course APIs also accept."""

from __future__ import annotations

import zoneinfo

from courseport.core.kit.errors import InvalidInput

# Rails-style display names clients send, mapped to the IANA zone they stand for.
FRIENDLY_NAMES = {
    "International Date Line West": "Etc/GMT+12", "Midway Island": "Pacific/Midway",
    "American Samoa": "Pacific/Pago_Pago", "Hawaii": "Pacific/Honolulu", "Alaska": "America/Juneau",
    "Pacific Time (US & Canada)": "America/Los_Angeles", "Tijuana": "America/Tijuana",
    "Mountain Time (US & Canada)": "America/Denver", "Arizona": "America/Phoenix",
    "Chihuahua": "America/Chihuahua", "Mazatlan": "America/Mazatlan",
    "Central Time (US & Canada)": "America/Chicago", "Saskatchewan": "America/Regina",
    "Guadalajara": "America/Mexico_City", "Mexico City": "America/Mexico_City",
    "Monterrey": "America/Monterrey", "Central America": "America/Guatemala",
    "Eastern Time (US & Canada)": "America/New_York", "Indiana (East)": "America/Indiana/Indianapolis",
    "Bogota": "America/Bogota", "Lima": "America/Lima", "Quito": "America/Lima",
    "Atlantic Time (Canada)": "America/Halifax", "Caracas": "America/Caracas", "La Paz": "America/La_Paz",
    "Santiago": "America/Santiago", "Newfoundland": "America/St_Johns", "Brasilia": "America/Sao_Paulo",
    "Buenos Aires": "America/Argentina/Buenos_Aires", "Montevideo": "America/Montevideo",
    "Georgetown": "America/Guyana", "Greenland": "America/Godthab", "Mid-Atlantic": "Atlantic/South_Georgia",
    "Azores": "Atlantic/Azores", "Cape Verde Is.": "Atlantic/Cape_Verde", "Dublin": "Europe/Dublin",
    "Edinburgh": "Europe/London", "Lisbon": "Europe/Lisbon", "London": "Europe/London",
    "Casablanca": "Africa/Casablanca", "Monrovia": "Africa/Monrovia", "UTC": "Etc/UTC",
    "Amsterdam": "Europe/Amsterdam", "Belgrade": "Europe/Belgrade", "Berlin": "Europe/Berlin",
    "Bern": "Europe/Zurich", "Bratislava": "Europe/Bratislava", "Brussels": "Europe/Brussels",
    "Budapest": "Europe/Budapest", "Copenhagen": "Europe/Copenhagen", "Ljubljana": "Europe/Ljubljana",
    "Madrid": "Europe/Madrid", "Paris": "Europe/Paris", "Prague": "Europe/Prague", "Rome": "Europe/Rome",
    "Sarajevo": "Europe/Sarajevo", "Skopje": "Europe/Skopje", "Stockholm": "Europe/Stockholm",
    "Vienna": "Europe/Vienna", "Warsaw": "Europe/Warsaw", "West Central Africa": "Africa/Algiers",
    "Zagreb": "Europe/Zagreb", "Athens": "Europe/Athens", "Bucharest": "Europe/Bucharest",
    "Cairo": "Africa/Cairo", "Harare": "Africa/Harare", "Helsinki": "Europe/Helsinki",
    "Jerusalem": "Asia/Jerusalem", "Kyiv": "Europe/Kiev", "Pretoria": "Africa/Johannesburg",
    "Riga": "Europe/Riga", "Sofia": "Europe/Sofia", "Tallinn": "Europe/Tallinn", "Vilnius": "Europe/Vilnius",
    "Baghdad": "Asia/Baghdad", "Istanbul": "Europe/Istanbul", "Kuwait": "Asia/Kuwait",
    "Minsk": "Europe/Minsk", "Moscow": "Europe/Moscow", "Nairobi": "Africa/Nairobi",
    "Riyadh": "Asia/Riyadh", "St. Petersburg": "Europe/Moscow", "Tehran": "Asia/Tehran",
    "Abu Dhabi": "Asia/Muscat", "Baku": "Asia/Baku", "Muscat": "Asia/Muscat", "Tbilisi": "Asia/Tbilisi",
    "Yerevan": "Asia/Yerevan", "Kabul": "Asia/Kabul", "Ekaterinburg": "Asia/Yekaterinburg",
    "Islamabad": "Asia/Karachi", "Karachi": "Asia/Karachi", "Tashkent": "Asia/Tashkent",
    "Chennai": "Asia/Kolkata", "Kolkata": "Asia/Kolkata", "Mumbai": "Asia/Kolkata", "New Delhi": "Asia/Kolkata",
    "Kathmandu": "Asia/Kathmandu", "Astana": "Asia/Dhaka", "Dhaka": "Asia/Dhaka",
    "Sri Jayawardenepura": "Asia/Colombo", "Almaty": "Asia/Almaty", "Novosibirsk": "Asia/Novosibirsk",
    "Rangoon": "Asia/Rangoon", "Bangkok": "Asia/Bangkok", "Hanoi": "Asia/Bangkok", "Jakarta": "Asia/Jakarta",
    "Krasnoyarsk": "Asia/Krasnoyarsk", "Beijing": "Asia/Shanghai", "Chongqing": "Asia/Chongqing",
    "Hong Kong": "Asia/Hong_Kong", "Irkutsk": "Asia/Irkutsk", "Kuala Lumpur": "Asia/Kuala_Lumpur",
    "Perth": "Australia/Perth", "Singapore": "Asia/Singapore", "Taipei": "Asia/Taipei",
    "Ulaanbaatar": "Asia/Ulaanbaatar", "Osaka": "Asia/Tokyo", "Sapporo": "Asia/Tokyo", "Seoul": "Asia/Seoul",
    "Tokyo": "Asia/Tokyo", "Yakutsk": "Asia/Yakutsk", "Adelaide": "Australia/Adelaide",
    "Darwin": "Australia/Darwin", "Brisbane": "Australia/Brisbane", "Canberra": "Australia/Melbourne",
    "Guam": "Pacific/Guam", "Hobart": "Australia/Hobart", "Melbourne": "Australia/Melbourne",
    "Port Moresby": "Pacific/Port_Moresby", "Sydney": "Australia/Sydney", "Vladivostok": "Asia/Vladivostok",
    "Magadan": "Asia/Magadan", "New Caledonia": "Pacific/Noumea", "Solomon Is.": "Pacific/Guadalcanal",
    "Auckland": "Pacific/Auckland", "Fiji": "Pacific/Fiji", "Kamchatka": "Asia/Kamchatka",
    "Marshall Is.": "Pacific/Majuro", "Wellington": "Pacific/Auckland", "Nuku'alofa": "Pacific/Tongatapu",
    "Samoa": "Pacific/Apia", "Tokelau Is.": "Pacific/Fakaofo",
}


def to_iana(name: str, field: str = "time_zone") -> str:
    """The IANA name for an IANA or Rails-style zone name; InvalidInput naming `field` otherwise."""
    candidate = FRIENDLY_NAMES.get(name.strip(), name.strip())
    try:
        zoneinfo.ZoneInfo(candidate)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise InvalidInput(field, f"{field} {name!r} is not a known IANA or Rails time zone name") from None
    return candidate
