"""Every write about letters, one module per noun (each imports only those below it):

drafts       the founders' side: drafts and their category's details, attachments, submit, withdraw
review       claim, questions and answers, recommendation, decision (and the fulfilment)
thread       the message thread
router       the coalesced router: queue and reviewer for every waiting letter; the sweeper
queues       review queues (admin)
rulesets     rule sets and routing rules (admin)
sla          the working-hours clock and its holidays, warnings, escalation
common       the lock-and-check of an action, input cleaning, notices about a letter
transitions  the state machine: the one function that changes a letter's status

Reads (letters a user may see, the approver to pick, the dry run, the preview) are selectors
(`applications/selectors.py`, `applications/routing_selectors.py`); rule matching is
`applications/matching.py`.
"""
