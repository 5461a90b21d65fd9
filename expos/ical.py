"""The released programme as iCalendar (RFC 5545), one event per slot."""
from django.conf import settings
from icalendar import Calendar, Event


def programme_calendar(release, slots, *, name: str) -> bytes:
    """A calendar of `slots` (ReleasedSlot rows of `release`), named `name`."""
    expo = release.expo
    calendar = Calendar()
    calendar.add("prodid", "-//Startup incubator//Expo programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = settings.SITE_URL.split("://")[-1].split("/")[0] or "incubator"
    for slot in slots:
        event = Event()
        event.add("uid", f"expo-{expo.pk}-showcase-{slot.showcase_id}@{host}")
        event.add("dtstamp", release.released_at)
        event.add("sequence", release.version)
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.ends_at)
        event.add("summary", f"{slot.startup_name}: {slot.title}")
        event.add("location", ", ".join(filter(None, [slot.hall_name, expo.venue, expo.city])))
        calendar.add_component(event)
    return calendar.to_ical()
