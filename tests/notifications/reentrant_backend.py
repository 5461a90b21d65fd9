"""An e-mail backend that runs a second outbox worker in the middle of each send (the moment
two workers could both send one e-mail), then delivers to Django's test outbox."""
from django.core.mail.backends.locmem import EmailBackend

_depth = 0


class SecondWorkerBackend(EmailBackend):
    def send_messages(self, messages):
        global _depth
        if _depth == 0:
            from notifications.services import emails_send_pending

            _depth += 1
            try:
                emails_send_pending()
            finally:
                _depth -= 1
        return super().send_messages(messages)
