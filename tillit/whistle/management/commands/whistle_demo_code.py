from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The demo only: the current two-factor code of the whistleblowing channel's demo people, from the "
        "demo's published TOTP secret (docs/whistle.md). It knows no other secret and reads no database."
    )

    def handle(self, *args, **options):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        from tillit.demo.whistle_data import DEMO_TOTP_SECRET

        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, current)))
