#!/usr/bin/env python3
"""Generate ftlint's sample datasets in sample_data/.

    python benchmarks/make_samples.py            # rewrite sample_data/
    python benchmarks/make_samples.py --out DIR  # write the same files elsewhere (to compare)

Stdlib only and deterministic: one ``random.Random(7)``, ``\\n`` line endings, UTF-8 written as
bytes, ``json.dumps(..., ensure_ascii=False)``. Running it twice gives byte-identical files.

The data is a fictional support desk for "Larkspur", a project-management SaaS. Every text below
is hand-written; ``{slot}`` markers are filled from SLOT_VALUES. Contact details, cloud keys and
broken bytes appear ONLY in the planted lines of support_tickets_dirty.jsonl, and the README's
table of those lines is written from the same run that plants them, then checked by re-reading
the file.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_content_samples  # noqa: E402 - the FT4/FT5 dirty Q&A set, written alongside

SEED = 7
OUT_DIR = Path(__file__).resolve().parent.parent / "sample_data"
LABELS = ("billing", "technical_issue", "account_access", "feature_request", "integrations",
          "cancellation")
MAX_CLEAN_JACCARD = 0.6     # character 5-gram Jaccard, lowercased, between any two clean texts

# --------------------------------------------------------------------------------------------
# Slot values for the {slot} markers in ticket templates ({order2} = a second, different order).
# --------------------------------------------------------------------------------------------
SLOT_VALUES = {
    "order": lambda r: f"LS-{r.randint(10000, 99999)}",
    "invoice": lambda r: f"INV-{r.choice((2024, 2025))}-{r.randint(1, 9999):04d}",
    "po": lambda r: f"PO-{r.randint(100000, 999999)}",
    "seats": lambda r: str(r.randint(6, 48)),
    "n": lambda r: str(r.randint(12, 90)),
    "card_digits": lambda r: f"{r.randint(0, 9999):04d}",
    "amount": ["$48", "$96.00", "$120", "$144", "$216", "$240.00", "$588", "$1,080"],
    "plan": ["Starter", "Team", "Business"],
    "browser": ["Chrome", "Firefox", "Safari", "Edge", "Chrome 126", "Firefox 128", "Safari 17.5"],
    "integration": ["Slack", "GitHub", "Jira", "Google Calendar", "Outlook", "Zapier",
                    "Microsoft Teams", "GitLab"],
    "project": ["Q3 Launch", "Website Redesign", "Onboarding v2", "Warehouse Move",
                "Spring Campaign", "Mobile App 3.0", "Office Fit-out", "Client Portal"],
    "workspace": ["northwind-design", "bluefin-ops", "acme-marketing", "hollow-oak-studio",
                  "tidewater-legal", "copperline-eng"],
    "competitor": ["TaskHarbor", "Planwise", "Boardly"],
    "month": ["January", "February", "March", "April", "May", "June", "September", "October"],
    "signer": ["Marco", "Aylin", "Tom", "Priya", "Jonas", "Keiko", "Sam", "Lucia", "Femi", "Greta"],
    "date": ["March 3", "3/14", "2025-04-02", "the 1st", "June 12th", "12.06.2025",
             "Oct 7", "May 2"],
}

# Sometimes a greeting or a sign-off is added around an English ticket of 6+ words.
OPENERS = ["Hi!", "Hello.", "Hi there!", "Hey team!", "Hello support team.", "Good morning!",
           "Hi Larkspur team.", "Quick question:", "Urgent:", "Hi,"]
CLOSERS = ["Thanks!", "Thank you.", "Thanks in advance.", "Any help appreciated.", "Cheers",
           "Please advise.", "thx", "Thanks, {signer}", "Regards, {signer}", "Best, {signer}",
           "Thank you so much!", "Appreciate it.", "- {signer}"]
DRESS_RATE = 0.15
LOWERCASE_AFTER_COMMA = {"Can", "Could", "Is", "Our", "We", "My", "The", "How", "Why", "Would", "Please",
                         "When", "Does", "Do", "Any", "What", "Where", "Since", "After", "Getting", "It",
                         "If", "Need", "Every", "Someone", "Got", "Your", "Invoice", "Attachments"}


def amb(text, also):
    """An ambiguous ticket: `also` is the label a second annotator might reasonably pick."""
    return (text, also, "en")


def intl(lang, text):
    """A ticket not written in English (never dressed with an English greeting)."""
    return (text, None, lang)


# --------------------------------------------------------------------------------------------
# Tickets: label -> messages. One entry is used once; plain strings are English, unambiguous.
# --------------------------------------------------------------------------------------------
TICKETS = {
    "billing": [
        "refund?",
        "Why was I charged twice this month?",
        "I was billed {amount} on {date} but our plan is supposed to cost {amount2}. Can someone explain the difference?",
        "Can I get an invoice with our company VAT number on it? The one for order {order} only shows my name.",
        "We went from {seats} seats to {seats2} in the middle of the billing cycle. How is the proration calculated?",
        "Do you offer a discount for nonprofits? We're a small animal shelter and the Team plan is a bit out of our budget.",
        "pls send receipt for {invoice}",
        "Our card ending in {card_digits} was declined but the bank says there's no problem on their side. Can you retry the payment?",
        "How do I switch from monthly to annual billing, and do I get the 2 free months right away or only at renewal?",
        "Invoice {invoice} lists {seats} seats but we only have a handful of active people in the workspace. Are deactivated users still counted?",
        "Is sales tax included in the price on the pricing page or added at checkout?",
        "charged right after the trial ended?? I did enter a card but I didnt expect {amount} to be taken immediately",
        "Can we pay by bank transfer instead of credit card? Our finance department doesn't allow card payments above {amount}.",
        "Where do I change the billing contact so invoices go to accounting instead of me?",
        "The upgrade screen for {plan} said one price per user but the invoice total is higher. What am I missing?",
        "Hello, I'm the office manager at a 40-person architecture firm and I've been asked to reconcile our software spend for the last quarter. There are three Larkspur charges on the company card in {month} (two of roughly {amount} and a smaller one) and I honestly can't tell which workspace each one belongs to. Could you send me a breakdown per workspace, or tell me where in the admin settings I can find it myself?",
        "Need a W-9 form for our vendor onboarding.",
        "Our purchase order {po} has to appear on every invoice, otherwise accounts payable rejects it. Can you add it going forward?",
        "Coupon code SPRING25 says it's expired but the newsletter said it was valid until {date}.",
        "billing question",
        "Your sales rep promised us education pricing last week but checkout still shows the full price.",
        amb("I downgraded to Starter on {date} but was still charged the Business rate this month.", "cancellation"),
        "Can you split our invoice between two cost centers? Marketing pays for 12 seats and Product for the rest.",
        "Our invoices suddenly switched from EUR to USD. We're based in Germany and need euros for our bookkeeping.",
        "Do unused seats roll over to next year if we prepaid annually?",
        amb("is there a refund if I cancel halfway through an annual plan?", "cancellation"),
        "Got a notice saying payment failed for {invoice}. I updated the card yesterday. Is everything OK now or do I need to do something else?",
        "How much would it cost to add 5 guest users? Are guests free?",
        "The credit note you issued for order {order} still hasn't shown up on our balance.",
        "Our accountant needs every invoice from January to June as PDFs. Is there a bulk download somewhere?",
        "Will the Business plan price stay locked for existing customers after the price change?",
        "Double charge. Orders {order} and {order2}, same amount, same minute.",
        "We moved offices and the old address is still printed on our invoices. How do I update it?",
        "can i pay with paypal",
        "What happens to my bill if I add a member on the 28th of the month?",
        "The pricing page says $10/user/month for Team but I was charged $12. Is that because we're on monthly?",
        "Checkout fails with 'Error 402: payment_method_required' even though I added a card five minutes ago.",
        "Can we get one consolidated invoice for our three workspaces?",
        "We're part of a startup accelerator program. Do you give startup credits?",
        intl("es", "Hola, me cobraron dos veces la suscripción de este mes. ¿Pueden devolverme uno de los cargos?"),
        "Our renewal invoice is {amount} higher than last year even though the seat count didn't change. Was there a price increase nobody told us about?",
        "can you resend last month's invoice? accounting lost it",
    ],
    "technical_issue": [
        "everything is broken",
        "app wont load",
        "The board view has been stuck on a spinning wheel since this morning.",
        "When I drag a task to another column it jumps back to where it was. Happens in {browser} and {browser2}.",
        "Getting a 500 error every time I try to export the {project} project to CSV.",
        "Push notifications stopped arriving on my phone after the last update (iOS 17.5, app version 4.12.1).",
        "Attachments over 20 MB fail to upload with no error message, the progress bar just stops at 99%.",
        "API call `POST /v2/tasks` returns `{\"error\": \"validation_failed\", \"field\": \"due_date\"}` even though I send \"due_date\": \"2025-07-01\". What format does it actually want?",
        "Gantt chart dependencies disappear after I refresh the page.",
        "Search doesn't find tasks created in the last day or so. Older ones show up fine.",
        "Dark mode makes the text in comments unreadable, black on dark grey.",
        "Everything is very slow today. Is there an outage?",
        "recurring tasks are being created twice every monday",
        "Since Tuesday our team has been seeing duplicated comments on tasks: someone posts once, and two or three identical copies appear a few seconds later. It happens on desktop (Windows 11, {browser}) and in the Android app, mostly in the {project} project which has a few hundred open tasks. We've tried logging out, clearing the cache and disabling extensions. Screenshots are attached. Could you look into it? It's confusing our client.",
        "The time tracking timer keeps running even after I stop it, so I ended up with a 14-hour entry for a 20 minute call.",
        "Uncaught TypeError: Cannot read properties of undefined (reading 'assignees') shows up in the console and the task panel goes blank.",
        "The mobile app crashes on launch on my Pixel 7.",
        "Custom field values reset to empty when I duplicate a project.",
        "Printing a board gives me a blank page.",
        "We can't open the timeline for projects with more than 500 tasks, it just says 'Something went wrong'.",
        "Due dates are shifted by one day for our colleagues in Sydney. Timezone bug?",
        "Notification emails from Larkspur land in the spam folder for everyone at our company.",
        "The CSV import reads my dates wrong: 03/04 becomes April 3rd instead of March 4th.",
        "Why can't I @mention people in task descriptions anymore? It worked last week.",
        "Keyboard shortcuts don't work with a German keyboard layout, Ctrl+K does nothing at all.",
        "Bug: archived projects still show up in the sidebar.",
        "Dashboard widgets show 0 for everything since the update on {date}.",
        "is the api down? getting 503s",
        "Images pasted into comments show as broken links.",
        "Sorting by priority puts 'Low' above 'High'. Pretty sure that's backwards.",
        "I get ERR_TOO_MANY_REDIRECTS when opening a shared board link.",
        "The desktop app on macOS 14 sits at 100% CPU when it's idle.",
        "Subtasks don't inherit the parent's assignee like the help center says they should.",
        "When two people edit the same task description at once, one person's changes get lost.",
        "The 'Export to PDF' button in reports does nothing. No download, no error. Tried {browser} and {browser2}.",
        "the workload view shows people at 300% capacity but they have like 3 tasks each",
        amb("Rate limit? Our script gets HTTP 429 after only 20 requests a minute, the docs say 100.", "integrations"),
        "Task links copied from the app open a different task.",
        "Our automation rule 'when status changes to Done, move to Archive' just stopped running on {date}.",
        "Is there a known issue with file previews? PDFs open as a grey box.",
        "Task descriptions lose their formatting (bullets, bold) when I paste from Google Docs.",
        intl("es", "La aplicación se cierra sola cada vez que intento adjuntar un archivo desde el móvil."),
        intl("de", "Seit dem letzten Update lädt die Zeitleiste nicht mehr. Browser: Firefox 128."),
        intl("ja", "ガントチャートが表示されません。エラーコードは E-4012 です。"),
    ],
    "account_access": [
        "cant log in",
        "Account locked",
        "I forgot my password and the reset link never arrives.",
        "My account got locked after too many login attempts. How long until I can try again?",
        "I lost my phone and can't get past two-factor authentication.",
        amb("SSO with Okta loops straight back to the login page.", "integrations"),
        "How do I transfer workspace ownership to my colleague? I'm leaving the company next month.",
        "I changed my work address and now Larkspur says no account exists for me.",
        "A former employee still has access to our workspace, how do I remove them right now?",
        "The invite link I received says it has expired.",
        "Can I have two accounts under the same address, one for work and one personal?",
        "Getting 'Your session has expired' every five minutes.",
        "I'm an admin but I can't see the Members page anymore.",
        "Our workspace owner left the company and nobody can open the admin settings. What proof do you need to give us admin rights?",
        "Please reset 2FA for me, I got a new phone",
        "Magic link login opens the app but then asks for a password I never set.",
        "Why does it say 'This account has been deactivated'? I didn't do anything.",
        "log in with google gives error 403: disallowed_useragent",
        "Can guests reset their own password or do I have to do it for them?",
        "I accidentally removed myself from the workspace. Can you add me back as an admin?",
        "Good afternoon. I set up our team's workspace about two years ago with my old university account, and since then the whole team has moved to the new company domain. Now I can't receive any verification codes because the old mailbox was shut down, and the workspace has {n} members and all of our client projects in it. Is there any way to prove that I'm the owner through the billing details or the last invoice number ({invoice}) so you can move ownership to my current address?",
        "how do i enable 2fa for everyone in the workspace",
        "The recovery codes don't work, and I saved them when I set up 2FA.",
        "I get logged out whenever I switch between my two workspaces.",
        "Someone signed into my account from a location I don't recognise. Can you check and lock it?",
        "Password reset link says 'token invalid' even when I click it right away.",
        amb("Our SAML certificate expired and now nobody can log in. Urgent!!", "integrations"),
        "What are the password requirements? It keeps rejecting mine without saying why.",
        "How do I change the address I use to sign in?",
        "I'm stuck on the 'verify your email' screen even though I clicked the link twice.",
        "The desktop app won't accept my password but the website does.",
        "Our contractors can see projects they shouldn't. How do I restrict them to one project?",
        "lockd out again after the reset, 3rd time this week",
        "Is there a way to sign in without the authenticator app just this once? I left my phone at home.",
        amb("After domain verification our users were forced into SSO, but two freelancers with outside addresses can't get in anymore.", "integrations"),
        "My colleague's account has shown 'pending invitation' for three weeks now and she can't accept it.",
        "We need to force a password reset for all members after a phishing incident. Is that possible?",
        "Every code from my authenticator app is rejected. Could my phone's clock be the problem?",
    ],
    "feature_request": [
        "dark mode for mobile pls",
        "Would love a way to set recurring tasks for the last business day of each month.",
        "Any plans for exporting the Gantt view as a PNG?",
        "Please add subtasks within subtasks. We need at least three levels for our construction schedules.",
        "Can you make the sidebar collapsible? On a 13-inch laptop it takes up half the screen.",
        "It would be great if we could color-code tasks by a custom field value, not just by status.",
        "Feature idea: a 'focus mode' that hides every task not assigned to me.",
        "Is there any chance of an offline mode for the desktop app? I work on trains a lot.",
        "We'd like to set WIP limits per column on the board.",
        "Bulk editing due dates for many tasks at once would save me hours every sprint.",
        "Please allow more than 50 custom fields per project.",
        "Could the weekly digest include overdue tasks from projects I follow, not just the ones assigned to me?",
        "Our agency runs about {n} client projects in parallel, and every month we rebuild the same report by hand: hours logged per client, tasks completed vs. planned, and what slipped. It would be a huge help if Larkspur dashboards could be scheduled and sent as a PDF to people outside the workspace (our clients don't have accounts). Even a simple version with a fixed layout would do. Happy to join a beta or a call with your product team if that helps.",
        "Template variables, e.g. {{client_name}} in task titles, filled in when you create a project from the template.",
        "Showing each member's local time next to their avatar would help our distributed team.",
        "Let us pin comments to the top of a task.",
        amb("An API endpoint for reading time-tracking entries, please. Right now we can only export CSV by hand.", "integrations"),
        "Kanban swimlanes by assignee?",
        "Would be nice to have read receipts on comments.",
        "Could you add a 'blocked' status that is separate from 'in progress'? We track blockers with a tag right now and it's messy.",
        "Please support Markdown tables in task descriptions.",
        "Request: undo for accidental task deletion, not just the trash bin.",
        "Custom fields of type currency, with automatic conversion between EUR and USD.",
        "I want to see a burndown chart for each sprint.",
        "more emojis for reactions lol",
        "Make it possible to hide weekends in the timeline.",
        "Can we get a start-to-start dependency type? Only finish-to-start exists right now.",
        "A keyboard shortcut to move a task to the next column, like other kanban tools have.",
        "A read-only share link for a whole project would be great for our stakeholders.",
        "Would you consider adding approvals? A task would need a manager's sign-off before it can be marked done.",
        "Please translate the app into Brazilian Portuguese. Half of our team would prefer it.",
        "Any roadmap for AI summaries of long comment threads?",
        "Feature request: automatic reminders {n} hours before a due date, configurable per project.",
        "Support for fiscal years that start in April in the reports would be really useful.",
        "Let admins set a default view (list/board/timeline) for new projects.",
        "Would be awesome if the mobile app had home screen widgets for today's tasks.",
        "Can there be a cap on how many tasks one person can be assigned at a time?",
        amb("The Trello import keeps checklists but loses labels. Could labels be imported too?", "integrations"),
        "Please let us set working hours per person, so the workload view stops counting part-time days as free capacity.",
        "Could comments support threaded replies?",
    ],
    "integrations": [
        "Slack integration not posting",
        "How do I connect Larkspur to our GitHub organization so pull requests link to tasks?",
        "The {integration} sync stopped working on {date}. Items created there no longer show up here.",
        "Jira import only brought over 200 of our 1,340 issues.",
        "Google Calendar shows my tasks one day early.",
        "We want to disconnect the Outlook integration for one user without affecting the rest of the team.",
        "Zapier trigger 'New Task' fires for subtasks too. Can I filter those out?",
        "Does the Salesforce integration support custom objects or only Opportunities?",
        amb("Webhooks fire twice for every task update. Our endpoint dedupes now but it doubles our load.", "technical_issue"),
        "The Microsoft Teams app says 'Larkspur needs admin approval' but our IT admin approved it already.",
        "GitLab self-hosted: the webhook test returns `SSL certificate problem: unable to get local issuer certificate`.",
        "Figma embeds show 'Preview unavailable' in task descriptions.",
        "Can the Zendesk integration create a Larkspur task automatically when a ticket gets the 'bug' tag?",
        "We're evaluating Larkspur to replace our current tool and the deciding factor is the two-way sync with Jira Cloud. Our engineers will stay in Jira while the PMs work in Larkspur. Specifically: do status changes sync both ways, what happens to comments and attachments, how are custom fields mapped, and is there a limit on the number of projects that can be linked? If you have a technical document describing the sync behaviour, that would be ideal.",
        "Dropbox files attached to tasks ask for permission every single time.",
        "slack notifs go to the wrong channel after we renamed it",
        amb("Our Google Drive connection was set up by someone who left. How do we reconnect it under a different account without losing the existing file links?", "account_access"),
        "The REST API docs mention `GET /v2/projects/{id}/tasks?updated_since=` but it returns 400 when I pass a date.",
        "Is there a Make connector, or only Zapier?",
        "Our iCal feed URL stopped updating in Apple Calendar.",
        "Commits with 'Fixes WEB-482' in the message used to close the task automatically. Since last week they just add a comment.",
        "How do I limit which Slack channels the Larkspur app can post to?",
        "Outlook add-in missing from the ribbon after an Office update.",
        "can I sync with notion?",
        "Our webhook endpoint receives payloads without the `assignee` field for tasks created by email.",
        "Salesforce sync error: `INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: Larkspur_Project__c`.",
        "The Teams notification cards don't have the 'Mark complete' button anymore.",
        "Hubspot integration?",
        "The OAuth app we built gets `invalid_grant` when refreshing access after exactly 30 days.",
        "Can the GitHub integration map labels to Larkspur tags?",
        "Zapier says 'Authentication failed' for the Larkspur connection although I reconnected it twice.",
        amb("Would disconnecting Jira delete the tasks that were imported from it?", "cancellation"),
        "The email-to-task address doesn't create tasks when a message has more than 3 attachments.",
        "Trying the Python SDK: `larkspur.Client(api_key=...)` raises `AttributeError: module 'larkspur' has no attribute 'Client'` on version 2.0.1.",
        "The Google Sheets add-on only exports the first 1,000 rows.",
        "Does the Slack integration work with Enterprise Grid?",
        "The Figma plugin can't find my workspace.",
        amb("SCIM provisioning from Azure AD creates the users but doesn't put them in the right teams.", "account_access"),
        intl("es", "¿Cómo conecto Larkspur con Google Calendar para que las fechas de entrega aparezcan en mi calendario?"),
        intl("de", "Die Jira-Synchronisation überträgt keine Kommentare mehr. Ist das ein bekanntes Problem?"),
    ],
    "cancellation": [
        "cancel my subscription",
        "unsubscribe",
        "How do I cancel? I can't find the button anywhere.",
        "We're moving to another tool at the end of the quarter. What do we need to do to close the workspace and get our data out?",
        "Please cancel our {plan} plan effective immediately and confirm by reply.",
        "If I cancel now, will I lose access right away or at the end of the billing period?",
        "I'd like to delete my account completely, including all personal data.",
        "Our trial ends tomorrow and we've decided not to continue. Do I need to do anything so we aren't charged?",
        amb("We only need 5 of our 20 seats now. Can we reduce instead of cancelling?", "billing"),
        "Pause subscription over summer?",
        amb("The company is shutting down. Please close the workspace {workspace} and stop all future charges.", "billing"),
        "Turn off auto-renewal for the annual plan, we'll decide later whether to renew.",
        "Hi, it's with some regret that I'm writing to cancel. Larkspur has worked well for our design team, but the company was acquired and the new parent mandates a different tool across all departments starting in {month}. Before we go: can you confirm how long our project data stays available after cancellation, whether we can export everything including comments and attachments in one go, and that no further invoices will be issued after the current period?",
        "Why is there no cancel option in the iOS app?",
        "Do you offer a downgrade to the free plan instead of a full cancellation?",
        amb("cancelled last month but still got charged", "billing"),
        "Please don't renew us. Workspace: {workspace}.",
        "What happens to our guests' access when we cancel?",
        "I want to close one of our two workspaces but keep the other.",
        "How do I stop the trial? I signed up by accident.",
        "Terminate our contract at renewal per section 9 of the order form, please.",
        "Can I cancel and come back later without losing my projects?",
        "We'll be switching to {competitor}. Sad, but the price increase is too much for a team of 6.",
        "Is there a cancellation fee for the annual contract?",
        amb("My husband signed us up by mistake, please cancel and refund.", "billing"),
        "How long after cancelling are backups deleted?",
        "I cancelled but the workspace still shows 'Active'. Did it go through?",
        "Please close my personal account, I only use the one from work now.",
        "Need to cancel before {date} so we don't get charged for another year.",
        "After cancellation, can clients still open the share links we sent them?",
        "We no longer need Larkspur. cancel pls",
        "End our Enterprise agreement when it expires; legal will send the formal notice letter.",
        "If we cancel the Business plan and resubscribe later, do we keep our legacy price?",
        intl("es", "Quiero cancelar mi suscripción al final de este mes. Gracias."),
        intl("de", "Bitte kündigen Sie unser Abonnement zum nächstmöglichen Termin."),
        intl("ja", "解約したいのですが、データはいつまで残りますか？"),
    ],
}

# --------------------------------------------------------------------------------------------
# Dirty copy: (after clean record N, kind). Kinds are built by PLANTERS below.
# --------------------------------------------------------------------------------------------
DIRTY_PLAN = [
    (6, "blank_line"),
    (15, "truncated_json"),
    (23, "label_Billing"),
    (31, "json_array"),
    (38, "nul_char"),
    (47, "exact_duplicate"),
    (55, "whitespace_line"),
    (62, "missing_output"),
    (70, "output_number"),
    (78, "pii"),
    (85, "nan_value"),
    (93, "label_billing_space"),
    (101, "json_string"),
    (109, "conflicting_label"),
    (116, "prompt_completion"),
    (124, "replacement_char"),
    (131, "exact_duplicate_case_ws"),
    (139, "whitespace_input"),
    (147, "label_Technical_Issue"),
    (155, "secret"),
    (163, "invalid_utf8"),
    (171, "near_duplicate_words"),
    (180, "duplicate_key"),
    (190, "near_duplicate_append"),
    (205, "label_technical_space"),
    (222, "near_duplicate_punct"),
]

# Fresh texts for planted records (checked to be unlike every clean ticket).
DIRTY_TEXTS = {
    "truncated_json": ("Our quarterly invoice shows 31 seats but the admin page says 27. Could you check order "
                       "LS-40417 and send a corrected copy?", "billing"),
    "label_Billing": ("Is the annual discount applied automatically when I switch plans, or do I need a code?",
                      "Billing"),
    "label_billing_space": ("Our finance team wants invoices issued on the 1st of each month instead of our "
                            "signup date. Possible?", "billing "),
    "label_Technical_Issue": ("Comments posted from the mobile app show up on desktop with a two-minute delay.",
                              "Technical_Issue"),
    "label_technical_space": ("Checklists inside a task collapse every time I tick an item, very annoying on "
                              "long lists.", "technical issue"),
    "nul_char": ("Exported CSV has a strange\u0000character after every task name", "technical_issue"),
    "missing_output": ("How do I get copies of last year's invoices for our auditor?", "billing"),
    "pii": ("Please call me back at +1 415-555-0142 or write to jordan.miles@example.com, I need to sort out "
            "a charge on our card before Friday.", "billing"),
    "nan_value": ("Board filters reset every time I switch between projects.", "technical_issue"),
    "json_string": ("The timeline freezes when I zoom out to the year level", None),
    "prompt_completion": ("Can I restore a project I deleted by mistake two weeks ago?", "technical_issue"),
    "replacement_char": ("The PDF invoice shows \ufffd instead of the \u20ac sign next to the total.", "billing"),
    "whitespace_input": ("   ", "account_access"),
    "invalid_utf8": ("Imported our task list from a spreadsheet and every title now starts with {BYTES} "
                     "followed by gibberish", "technical_issue"),
    "output_number": ("Slack messages from Larkspur show raw HTML tags instead of formatting.", 5),
    "secret": ("Our S3 backup export fails with AccessDenied. It's set up with access key AKIAQZ6JYWVDAMXIQK36 "
               "and the bucket policy looks right to me.", "integrations"),
    "duplicate_key": ("Why were we billed for 14 seats when the workspace has 11 members?",
                      "Why were we billed for 14 seats?"),
}
INVALID_BYTES = b"\xff\xfe"
WHITESPACE_LINE = b"   \t  "
WORD_SWAPS = {"tasks": "items", "project": "board", "team": "group", "help": "assist", "honestly": "really",
              "huge": "big", "engineers": "developers", "client": "customer", "cache": "cookies",
              "ideal": "perfect", "regret": "sadness", "company": "firm", "different": "new",
              "can": "could", "every": "each", "about": "around", "would": "could", "all": "every",
              "get": "have", "now": "today", "because": "since", "really": "very"}
APPENDED_WORD = "Urgent."

# --------------------------------------------------------------------------------------------
# Support chats: each entry is one conversation's opening (user, assistant) exchange plus any
# follow-ups that belong to it. A generic closing exchange is sometimes added (max 3 exchanges).
# --------------------------------------------------------------------------------------------
CLAUDE_SYSTEM = ("You are Larkspur's support assistant. Larkspur is project-management software for teams. "
                 "Answer customer questions briefly and accurately, name the exact menu path when a setting "
                 "is involved, and offer a hand-over to a human agent when you cannot resolve something.")
NOVA_SYSTEM = ("You are the in-app help assistant of Larkspur, a project-management product. Give short, "
               "accurate answers in plain language and point to the exact menu path when a setting is involved.")

CHATS = [
    # billing
    [("Hi, I was charged $12 per member but the pricing page says $10 for Team. Why the difference?",
      "The $10 price applies when Team is billed annually; on monthly billing it is $12 per member. You can switch to annual billing under Admin > Billing, and the lower rate starts with your next billing period."),
     ("Do we lose anything if we switch mid-month?",
      "No, the unused part of the current month is credited on the first annual invoice.")],
    [("Can I get invoices with our VAT number on them?",
      "Yes. Add your VAT ID under Admin > Billing > Company details and it will appear on every invoice issued from then on. If you need an older invoice reissued with it, send me the invoice number and I'll pass it to our billing team.")],
    [("We added four people in the middle of the month. How will that be billed?",
      "New members are charged pro rata for the days left in your current billing period. That shows as a separate line on your next invoice, and the full per-member price applies from the following period.")],
    [("Do you take PayPal?",
      "Not at the moment. We accept Visa, Mastercard and American Express, and annual plans over $1,000 can also be paid by bank transfer."),
     ("OK, how does the bank transfer work?",
      "Choose 'Pay by invoice' when you start the annual plan. You'll get an invoice with our bank details and 30 days to pay it, and the workspace is active in the meantime.")],
    [("Is there a discount for nonprofits?",
      "Yes, registered nonprofits and accredited schools get 50 percent off the Team and Business plans. Send us proof of your status from the billing page and we'll apply the discount to your next invoice.")],
    [("I need all of last year's invoices for an audit. Where can I download them?",
      "Workspace owners and billing admins can download every invoice as a PDF under Admin > Billing > Invoices. The 'Download all' button bundles a whole year into one ZIP file.")],
    [("Our card was declined but the bank says everything is fine.",
      "Sorry about that. Declines like this are often caused by the bank's fraud check on international payments, so please retry the payment from Admin > Billing and, if it fails again, ask the bank to allow charges from Larkspur. Your workspace stays fully active for 14 days while we retry.")],
    [("Can we have our purchase order number printed on invoices?",
      "You can. Enter the PO number under Admin > Billing > Invoice details and it will be printed on every future invoice."),
     ("What about the invoice we already received this month?",
      "I can ask the billing team to reissue that one with the PO number. Please send me its invoice number and I'll take care of it.")],
    [("Why are our invoices in dollars? We're a French company.",
      "The invoice currency is set at the first purchase, and yours was set to USD. Our billing team can switch future invoices to EUR; just confirm here and I'll open the request.")],
    [("If we move from monthly to annual billing now, do we lose the rest of this month?",
      "No. The unused part of your current month is credited, and the annual subscription starts today with the annual discount applied.")],
    [("How many guests can we invite on the Team plan?",
      "Guests are free on every paid plan, up to two guests per paid member. With 8 members on Team you could invite up to 16 guests.")],
    [("we were charged twice this month",
      "I'm sorry about that. Could you share the two invoice numbers from Admin > Billing > Invoices? Once I can see them I'll ask the billing team to refund the duplicate charge."),
     ("They're INV-2025-0412 and INV-2025-0413.",
      "Thanks, I've asked for INV-2025-0413 to be refunded. Refunds leave our side within two business days and most banks show them within 5 to 10 business days.")],
    [("What happens to our price after the price change? We're on an annual plan.",
      "Existing annual subscriptions keep their current price until their next renewal. From the renewal on, the current list price applies.")],
    [("Can two departments pay separately for the same workspace?",
      "A workspace has one subscription and one invoice, so the charge itself can't be split. Many customers add a cost-center note in the invoice details and divide the amount internally.")],
    [("Is sales tax included in your prices?",
      "Prices on the pricing page exclude tax. Sales tax or VAT is added at checkout based on your billing address, and businesses with a valid VAT ID in the EU are invoiced under the reverse-charge rule.")],
    [("Where can I see what we'll pay next month?",
      "Admin > Billing shows an estimate of your next invoice based on the current number of members and any credits. It updates as soon as you add or remove someone.")],
    [("How long does a refund usually take?",
      "We issue refunds within two business days of approving them. After that it depends on your bank, but most show the money within 5 to 10 business days.")],
    # technical
    [("The board view keeps spinning and never loads.",
      "Sorry about that. Could you try opening the board in a private window? If it loads there, a browser extension or cached data is the likely cause, and clearing the cache for Larkspur should fix it."),
     ("It works in the private window.",
      "Then an extension is the most likely cause. Try turning extensions off one at a time, starting with ad blockers and privacy tools, to find the one that interferes.")],
    [("Notifications stopped arriving on my iPhone after the last update.",
      "Please check the Larkspur entry in the iPhone's notification settings, because updates sometimes reset that permission. If notifications are allowed there, sign out of the app and back in, which registers the device for push again.")],
    [("Export to CSV gives me a 500 error.",
      "Thanks for reporting it. Very large projects can time out during export, so as a workaround filter the view to fewer tasks and export in parts. Could you tell me the project name so our engineers can look at the logs?"),
     ("It's the Client Portal project, about 9,000 tasks.",
      "Thank you, I've passed that on to the engineers with your workspace details. You'll get a message in this conversation when the fix is released.")],
    [("Due dates show one day early for my colleague in Sydney.",
      "That usually means their profile time zone doesn't match where they are. Ask them to check Profile > Preferences > Time zone, since due dates are displayed in each member's own time zone.")],
    [("The mobile app crashes as soon as I open it.",
      "I'm sorry to hear that. Please make sure you're on the latest version from the app store and restart the phone. If it still crashes, tell me the phone model and OS version and I'll file a report.")],
    [("Recurring tasks are being created twice.",
      "This can happen when a recurring task was duplicated, because both copies keep the schedule. Look for a second task with the same schedule; deleting the extra copy stops the duplicates.")],
    [("Search doesn't find a task I created ten minutes ago.",
      "New tasks normally appear in search within a minute. Please reload the page, and if the task still doesn't show up, send me its link so I can check the search index for your workspace.")],
    [("Getting 429 errors from the API.",
      "A 429 means the rate limit was reached: the API allows 100 requests per minute per token. Wait for the number of seconds given in the Retry-After header before retrying, and spread bulk jobs over time."),
     ("Can the limit be raised for us?",
      "On Enterprise we can raise it per workspace. On other plans the limit is fixed, but batching updates through the bulk endpoint uses far fewer requests.")],
    [("Attachments fail to upload at 99 percent.",
      "Please check the file size first: the limit is 100 MB per file on paid plans and 20 MB on Free. If the file is under the limit, try another network, since some company proxies cut off large uploads.")],
    [("Is Larkspur down? Everything is really slow for me.",
      "There's no incident on our status page right now, but I'll check with the on-call team. Meanwhile, could you tell me whether the web app, the desktop app or both are slow for you?")],
    [("The timeline says 'Something went wrong' for one of our projects.",
      "That error usually appears for projects with a very large number of dated tasks. Filtering the timeline to one section works around it, and I've logged the project for our engineers.")],
    [("Dark mode makes comment text hard to read.",
      "Thanks for flagging it. It's a known contrast issue in comments with pasted formatting, and a fix is planned for the next web release. Pasting with Ctrl+Shift+V avoids it for now.")],
    [("Emails from Larkspur end up in spam for our whole company.",
      "Please ask your IT team to allow messages from our sending domain and to check whether the mail filter quarantines automated mail. I can send them the list of our sending IP ranges if they need it.")],
    [("The desktop app uses a lot of CPU while it's idle.",
      "Please update to the newest desktop version, since a recent release fixed a rendering loop. If the usage stays high, open Help > Diagnostics and send me the report it creates.")],
    [("My CSV import read the dates wrong, March 4 became April 3.",
      "The importer guessed the wrong date order for that column. Run the import again and pick 'Day/Month/Year' for the date column in the preview step, or convert the dates to ISO format such as 2026-03-04 before importing.")],
    [("Printing a board gives me a blank page.",
      "Printing boards straight from the browser isn't well supported. Use Export > PDF in the view menu instead, which gives you a printable file of the whole board.")],
    [("Two of us edited the same description and my changes vanished.",
      "I'm sorry you lost that work. Every saved version of a description is kept in the task's Activity tab, so you can open it there and restore yours."),
     ("Found it, thanks. Can this be prevented?",
      "When someone else is editing, the description shows their avatar at the top. Waiting until it disappears avoids overwriting each other.")],
    # access
    [("I forgot my password and the reset email never comes.",
      "Please check your spam folder and make sure you're using the address you sign in with. Reset links are sent within a minute, so if nothing arrives in 10 minutes let me know and I'll check whether the message bounced.")],
    [("Lost my phone, can't get past 2FA.",
      "You can sign in with one of the ten recovery codes you received when you set up two-factor authentication. If you don't have them, an admin of your workspace can reset 2FA for you under Admin > Members."),
     ("I'm the only admin though.",
      "Then please write to us from your work address and include your latest invoice number. Once we've verified it, we'll reset two-factor authentication for you.")],
    [("My account is locked after too many attempts.",
      "The lock lifts automatically after 30 minutes. After that, use 'Forgot password' if you're unsure of the password, so you don't get locked again.")],
    [("How do I remove a former employee's access right away?",
      "Go to Admin > Members, find the person and choose Deactivate. Their access ends immediately, their tasks stay in place and the seat is freed on your next invoice."),
     ("Will the projects they own be affected?",
      "No, projects, tasks and comments stay exactly as they are. You may want to reassign their open tasks, which you can do from the same member page.")],
    [("Our workspace owner left and now nobody is an admin.",
      "We can help with that. Please have someone from your company write to us from a company address and include the last invoice number; after verification we can assign a new owner.")],
    [("The invite link I got says it's expired.",
      "Invite links are valid for 7 days. Ask the person who invited you to resend the invitation from Admin > Members, and the new link will work right away.")],
    [("I changed my work email and now it says no account exists.",
      "Your account is still registered under the old address. Sign in with the old address and change it under Profile > Account; if you no longer have that mailbox, a workspace admin can update the address for you.")],
    [("Okta SSO keeps sending me back to the login page.",
      "A login loop usually means the SAML response is rejected, often because the address in Okta doesn't match the one in Larkspur. Your admin can see the exact reason under Admin > Security > SSO log.")],
    [("How do we make 2FA mandatory for everyone?",
      "On Business and Enterprise, admins can turn on 'Require two-factor authentication' under Admin > Security. Members without 2FA will be asked to set it up the next time they sign in.")],
    [("I keep getting logged out every few minutes.",
      "That usually happens when the browser blocks or clears cookies for our domain. Please allow cookies for Larkspur, and if you're on Enterprise, ask your admin whether a short session limit is configured.")],
    [("Someone logged in to my account from another country.",
      "Please change your password now and turn on two-factor authentication under Profile > Security. You can also end all other sessions from the same page, and I'll flag the sign-in for our security team."),
     ("Done. Can I see which devices are signed in?",
      "Yes, Profile > Security lists every active session with its device and approximate location, and you can end any of them from there.")],
    [("The password reset link says the token is invalid.",
      "Reset links work only once and only for an hour, and some mail scanners open links before you do. Request a new link and open it in the same browser you requested it from.")],
    [("Can I use one email address for two accounts?",
      "Each address can belong to only one Larkspur account, but that account can join several workspaces. You switch between them from the workspace menu in the top-left corner.")],
    [("I accidentally removed myself from our workspace.",
      "Another admin of the workspace can add you back under Admin > Members. If you were the only admin, write to us from your work address and we'll help restore your access.")],
    [("The desktop app rejects my password but the website accepts it.",
      "If your workspace uses SSO, choose 'Sign in with SSO' in the desktop app instead of the password field. Otherwise, sign out of the app completely and try again, since it may be holding an old session.")],
    [("Contractors can see projects they shouldn't. How do I limit them?",
      "Invite contractors as guests rather than members. Guests only see the projects they're added to, and they're free on paid plans up to two per paid member.")],
    [("My recovery codes don't work.",
      "Each recovery code works only once, and all of them stop working if 2FA was reset after you saved them. Ask a workspace admin to reset your 2FA, then set it up again and keep the new codes somewhere safe.")],
    # feature requests
    [("Is there a dark mode on mobile?",
      "Not yet: the mobile apps only have the light theme for now, while web and desktop have dark mode. Mobile dark mode is on our roadmap, and I've added your vote to the request.")],
    [("Can subtasks have their own subtasks?",
      "Yes, tasks support two levels: subtasks, and subtasks of those. Deeper nesting isn't available, but I'm happy to pass your use case on to the product team.")],
    [("Can I set WIP limits on board columns?",
      "Column WIP limits aren't available today. I've logged your request, and a saved filter that shows the task count per column is the closest workaround for now."),
     ("Is there a date for WIP limits?",
      "We don't share dates for roadmap items, but you can follow the request on our public roadmap and you'll be notified when it ships.")],
    [("Do you support start-to-start dependencies?",
      "At the moment Larkspur supports finish-to-start dependencies only. Other dependency types are a frequent request, and I've added your feedback to it.")],
    [("Will Larkspur be available in Portuguese?",
      "The app is currently available in English, German, French, Spanish and Japanese. Portuguese isn't scheduled yet, but I've recorded your request with the localisation team.")],
    [("Can I schedule a dashboard to be emailed to clients every month?",
      "Scheduled dashboard emails aren't available yet. You can export a dashboard to PDF and send it yourself, or share a read-only link on the Business plan.")],
    [("Is there an offline mode?",
      "The desktop app keeps recently opened projects available read-only when you're offline, but editing needs a connection. Full offline editing is on our list of requested features.")],
    [("Can we get a burndown chart for sprints?",
      "Sprints currently come with a velocity chart but no burndown chart. I've passed your request on, and you can follow it on our public roadmap."),
     ("Can I vote for it somewhere?",
      "Yes, every request on the public roadmap has a vote button, and I've already added one for your workspace.")],
    [("Do templates include automations?",
      "Templates copy sections, tasks, custom fields and views, but automations aren't copied yet. For now you'll need to recreate the automations in projects made from a template.")],
    [("Can I bulk edit due dates?",
      "Yes. Select several tasks in list view with Shift-click, then choose 'Set due date' in the bulk action bar to change all of them at once.")],
    [("Any plans for AI summaries of long comment threads?",
      "AI summaries have been in beta since 2025-10-01 for Business and Enterprise workspaces. An admin can turn them on under Admin > Labs.")],
    [("Could you add Markdown tables in task descriptions?",
      "Descriptions support Markdown headings, lists, links and code blocks, but not tables yet. I've added your request to the existing feature ticket.")],
    [("I'd like to hide weekends on the timeline.",
      "Good news, you can already do that. Open the timeline's view settings and turn off 'Show weekends'.")],
    [("Can I pin a comment to the top of a task?",
      "Pinned comments aren't available yet, though it's a popular request and I've added your vote. Many teams put the key decision into the task description in the meantime.")],
    [("Would you add approvals before a task can be closed?",
      "There's no built-in approval step today. A common workaround is a 'Waiting for approval' status plus an automation that assigns the task to the approver, and I've also logged your request."),
     ("Can you help me set up that workaround?",
      "Sure. Add the status under Customize > Statuses, then create an automation with the trigger 'Status changes to Waiting for approval' and the action 'Assign to' your approver.")],
    [("Can admins set the default view for new projects?",
      "Not for the whole workspace yet; each project remembers the view its creator chose. A workspace-wide default view is on our roadmap, and I've noted your interest.")],
    [("A widget for today's tasks on Android would be great.",
      "Thanks for the suggestion! Home screen widgets aren't available on either mobile platform yet, and I've forwarded your idea to the mobile team.")],
    # integrations
    [("How do I connect GitHub so pull requests link to tasks?",
      "Go to Admin > Integrations > GitHub and install the Larkspur app on your organization. After that, mention a task key such as WEB-482 in a pull request title or commit message and it links automatically."),
     ("Do I need to be an admin for that?",
      "Yes, connecting workspace integrations requires admin rights. Once it's set up, every member can link pull requests.")],
    [("Our Slack integration stopped posting updates.",
      "If the channel was renamed or archived, the integration loses its target. Open the project's Slack settings, pick the channel again and save, and updates will resume.")],
    [("Does the Jira sync work both ways?",
      "Yes, status, assignee, due date and comments sync both ways between Jira Cloud and Larkspur. Attachments only sync from Jira to Larkspur.")],
    [("Webhooks arrive twice for some updates.",
      "Webhooks are delivered at least once, so duplicates can happen during retries. Each payload has an event_id field you can use to skip events you've already processed.")],
    [("Google Calendar shows our tasks a day early.",
      "That's usually a time zone mismatch between the calendar and your Larkspur profile. Make sure both use the same time zone, and the calendar picks up the change on its next refresh.")],
    [("Can a Zapier zap trigger only on top-level tasks and skip subtasks?",
      "The 'New Task' trigger fires for subtasks too, but each payload includes a parent_id. Add a filter step in Zapier that continues only when parent_id is empty.")],
    [("Is there an integration with Notion?",
      "We don't have a native Notion integration. You can connect the two through Zapier, for example to create a Larkspur task from a new Notion database item.")],
    [("Our Teams app still says it needs admin approval.",
      "After your IT admin approves the app in the Teams admin center, it can take up to 24 hours to take effect. Signing out of Teams and back in sometimes speeds this up.")],
    [("Which Salesforce objects can be synced?",
      "The Salesforce integration syncs Opportunities and Accounts. Custom objects aren't supported yet, but you can map custom fields on those two objects."),
     ("Is Salesforce included in the Team plan?",
      "No, the Salesforce integration needs Business or Enterprise. All other integrations are included in Team.")],
    [("The calendar feed in Apple Calendar isn't updating.",
      "Calendar apps poll feeds on their own schedule, and Apple Calendar can take an hour or more. In the calendar's settings, set the refresh interval of the subscription to every 15 minutes.")],
    [("How do I turn an email into a task?",
      "Every project has its own address, shown under Project settings > Email to task. Forward a message there and it becomes a task, with attachments up to 10 MB.")],
    [("Can I import our boards from Trello?",
      "Yes, use Admin > Import > Trello. It brings over lists, cards, checklists, members and due dates, and you can map Trello lists to Larkspur sections."),
     ("It's connected but old cards didn't come over.",
      "The import only includes open boards by default. Run it again and tick 'Include archived boards' in the first step to bring over the rest.")],
    [("The person who connected Google Drive has left. How do we reconnect it?",
      "Any admin can reconnect Google Drive under Admin > Integrations with their own account. Existing file links keep working as long as the files are shared with the new account.")],
    [("Zapier says authentication failed for Larkspur.",
      "This happens when the API token the connection uses was revoked. Create a new token under Profile > API tokens, then reconnect the Larkspur account in Zapier with it.")],
    [("Does the Slack integration support Enterprise Grid?",
      "Yes. Install it at the org level and then choose which workspaces in the grid may use it.")],
    [("How can people create tasks from Slack?",
      "Once the Slack integration is installed, type /larkspur followed by a task title in any channel. Slack then asks which project the task should go to.")],
    [("Will disconnecting Jira delete the tasks we imported?",
      "No. Disconnecting stops the sync, but every task that was already imported stays in Larkspur as a regular task.")],
    # cancellation
    [("How do I cancel our subscription?",
      "The workspace owner can cancel under Admin > Billing > Cancel subscription. The workspace stays fully usable until the end of the current billing period."),
     ("Will you send a confirmation?",
      "Yes, the owner receives a confirmation email as soon as the cancellation is processed, including the date the plan ends.")],
    [("If I cancel today, do I lose access immediately?",
      "No, you keep full access until the end of the period you've paid for. After that the workspace becomes read-only, and its data is kept for 90 days before it's deleted.")],
    [("Can we pause the subscription for the summer?",
      "We don't offer a pause. You can downgrade to Free instead: your projects stay available, and anything beyond the Free limits becomes read-only until you upgrade again.")],
    [("Is there a fee for cancelling an annual plan?",
      "There's no cancellation fee. The annual plan runs until the end of its term, and refunds are available within 14 days of a purchase or renewal."),
     ("So no refund for the unused months?",
      "Not after those 14 days, I'm afraid. The plan stays fully active until the end of the term, so your team can keep using it until then.")],
    [("I subscribed through the iPhone app. How do I cancel?",
      "Subscriptions bought in the iOS app are managed by Apple. Open the Settings app, tap your name, then Subscriptions, and cancel Larkspur there.")],
    [("We're closing the company, please stop all charges.",
      "I'm sorry to hear that. The workspace owner can cancel under Admin > Billing, which stops all future charges; if the owner isn't available, write to us from a company address and we'll process it for you.")],
    [("How can we get our data out before we leave?",
      "Go to Admin > Data > Export workspace and choose JSON or CSV. Attachments come as a separate ZIP file, and the download link is emailed to you when the export is ready."),
     ("Does the export include comments?",
      "Yes, the JSON export includes tasks, comments, custom fields and the activity history. The CSV export covers tasks and custom fields only.")],
    [("We only want to close one of our two workspaces.",
      "Each workspace has its own subscription, so you can cancel one without affecting the other. Just make sure you're in the right workspace before you open Admin > Billing.")],
    [("Please delete my account and all my personal data.",
      "You can delete your account under Profile > Account > Delete account, which removes your personal data within 30 days. Tasks you created stay in the workspace without your name attached.")],
    [("I cancelled last week but the workspace still says Active.",
      "That's expected: a cancelled workspace stays active until the paid period ends. Admin > Billing shows the cancellation and the date the plan ends.")],
    [("Can I come back later and keep my projects?",
      "Yes, if you resubscribe within 90 days of the end of your plan, everything is still there. After 90 days the workspace data is deleted.")],
    [("How do I stop the trial from turning into a paid plan?",
      "A trial only converts if you've added a card and chosen a plan. If you did, cancel under Admin > Billing before the trial ends and you won't be charged.")],
    [("Can we reduce seats instead of cancelling?",
      "Yes. Deactivate the members you no longer need under Admin > Members, and your next invoice will only include the remaining seats.")],
    [("Do share links keep working after we cancel?",
      "Share links work until the paid period ends. Once the workspace becomes read-only, they are switched off.")],
    [("Please cancel auto-renewal but keep the plan until the end of the term.",
      "You can do that yourself under Admin > Billing by turning off 'Renew automatically'. The plan stays active until the end of the term and then won't renew."),
     ("And if we change our mind before then?",
      "Just turn 'Renew automatically' back on before the term ends and nothing changes.")],
    [("Will we keep our legacy price if we cancel and come back?",
      "Unfortunately not, since a new subscription is billed at the current price. If keeping the legacy rate matters, reducing seats might suit you better than cancelling.")],
    [("How long are backups kept after we cancel?",
      "Workspace data is deleted 90 days after the plan ends, and backups are purged 30 days after that.")],
    # how-to
    [("How do I create a recurring task?",
      "Open the task, click the due date and choose 'Repeat'. You can repeat daily, weekly, monthly, yearly or on a custom interval."),
     ("Can I do that on mobile too?",
      "Yes, the same Repeat option is in the due date picker of the mobile apps.")],
    [("What's the shortcut for the command palette?",
      "Press Ctrl+K on Windows and Linux or Cmd+K on macOS. From there you can jump to any project, task or setting.")],
    [("How do I move a task to another project?",
      "Open the task, click the three-dot menu and pick 'Move to project'. Custom field values move along if the target project has the same fields."),
     ("Where is that menu? I can't find it.",
      "It's the three-dot icon in the top-right corner of the task panel. If it's missing, your role may not have edit rights in that project.")],
    [("Can I restore a deleted project?",
      "Yes, deleted projects stay in the trash for 30 days. An admin can restore them under Admin > Trash.")],
    [("How do I track time on a task?",
      "Click the clock icon on a task to start the timer, or add a manual entry. Time tracking is available on Team and above.")],
    [("How do I add a custom field?",
      "Open the project, go to Customize > Fields and click 'Add field'. Team plans and above allow up to 50 custom fields per project.")],
    [("How do I turn a project into a template?",
      "Open the project you want to reuse and choose 'Save as template' from the project menu. New projects can then be created from it in the template gallery.")],
    [("Where do I find my API token?",
      "Go to Profile > API tokens and click 'Create token'. The token is shown only once, so copy it to a safe place right away.")],
    [("How can I see what everyone is working on this week?",
      "The workload view shows each person's assigned tasks per day against their capacity. It's available on Business and Enterprise from the Views menu of a project.")],
    [("How do I share a board with a client who has no account?",
      "On Business and Enterprise you can create a read-only share link from the view's Share menu. You can protect it with a password and set an expiry date.")],
    [("How do I change my time zone?",
      "Open Profile > Preferences and pick your time zone from the list. Due dates and reminders are then shown in that time zone.")],
    [("Can I get a reminder before a due date?",
      "Yes. Open the task's due date and add a reminder, for example one day or one hour before."),
     ("Does it work for subtasks as well?",
      "It does, subtasks have the same due date and reminder options as regular tasks.")],
    [("How do I archive a project?",
      "Open the project menu and choose 'Archive'. Archived projects disappear from the sidebar but stay searchable and can be restored at any time.")],
    [("How do I add a dependency between two tasks?",
      "Open the task that has to wait, click 'Add dependency' and choose the task it depends on. In the Gantt view you can also draw the link by dragging from one bar to the other.")],
    [("How do I change the order of columns on a board?",
      "Drag a column by its header to the new position. The new order is saved for everyone who opens that board.")],
    [("How do I export the Gantt chart?",
      "In the Gantt view, open Export and choose PDF. Image export isn't available yet.")],
    [("Can I see who changed a task's status?",
      "Every change is listed in the task's Activity tab with the person and the time. Admins on Business and Enterprise can also search the audit log.")],
    [("How do I set up an automation?",
      "Open a project and click Automations > New rule, then choose a trigger such as 'Status changes' and an action such as 'Assign to'. The Team plan includes 250 automation runs a month.")],
    # billing (added to reach 130 conversations per file)
    [("Can I switch from Team to Business for just one project?",
      "Plans apply to the whole workspace, so a single project can't be on a different plan. If only a few people need Business features, some teams run a second, smaller workspace on Business instead.")],
    [("We're over the Free plan's member limit, what happens now?",
      "The Free plan allows 3 members, so a fourth person can't be invited until you upgrade. Existing members keep working normally, and you can start a 14-day Team trial from Admin > Billing to add more people right away.")],
    [("Can I get a receipt instead of an invoice?",
      "Each invoice page has a 'Download receipt' button once the payment has gone through. The receipt shows the payment method and the day the card was charged.")],
    [("Our finance team wants invoices sent to a shared mailbox.",
      "Set the billing contact under Admin > Billing > Billing contact to that shared mailbox. Invoices and payment notices go there from the next billing run, and the owner keeps getting a copy."),
     ("Can we have more than one billing contact?",
      "There's one billing contact per workspace, but you can add up to three extra addresses in the 'CC on invoices' field on the same page.")],
    [("How do I change the credit card on file?",
      "Go to Admin > Billing > Payment method and click 'Replace card'. The new card is used from the next charge, and the old one is removed right away.")],
    [("why did our bill go up this month? nobody new joined",
      "The most common reason is guests who were turned into full members, since members are billed and guests are free. Admin > Billing > Invoices shows a line per change, so you can see exactly which seats were added and when."),
     ("Ah, someone upgraded two guests. Can we undo that?",
      "Yes, an admin can change them back to guests under Admin > Members. The difference is credited on your next invoice.")],
    [("Is the Business trial the same as the paid plan?",
      "Yes, the 14-day Business trial includes every Business feature, including SSO, the workload view and the audit log. If you don't choose a plan by the end, the workspace moves to Free.")],
    [("Do you offer discounts for startups?",
      "We don't have a general startup discount, but annual billing saves about 17 percent compared to monthly. If you're part of an accelerator program, ask them whether they have a Larkspur partner offer.")],
    [("We paid by bank transfer but the invoice still shows unpaid.",
      "Bank transfers usually take 3 to 5 business days to reach us and be matched. If it's been longer, send me the invoice number and the transfer reference, and I'll ask the billing team to look for it.")],
    [("Can I pay for two years upfront?",
      "Our longest standard term is one year. Enterprise contracts can cover several years, so I can put you in touch with sales if that's of interest.")],
    [("Is it possible to get billed in pounds?",
      "Yes, invoices can be issued in USD, EUR or GBP. Your currency was set at the first purchase, so I'll ask the billing team to switch future invoices to GBP once you confirm."),
     ("Yes please, go ahead.",
      "Done, I've opened the request. Your next invoice will be issued in GBP, and billing will confirm the change by email.")],
    [("We downgraded from Business to Team. When does the new price kick in?",
      "Downgrades take effect at the start of your next billing period, so you keep the Business features until then. The next invoice will be at the Team price.")],
    [("The invoice shows our old company address.",
      "You can correct the address under Admin > Billing > Company details, and future invoices will use the new one. If you need the current invoice reissued with the corrected address, send me its number.")],
    [("Does the nonprofit discount work with monthly billing?",
      "Yes, the 50 percent discount applies to both monthly and annual billing on Team and Business. Combined with annual billing you get both reductions.")],
    [("I'm the only person using Larkspur. Do I need to pay at all?",
      "Not necessarily. The Free plan covers up to 3 members with unlimited projects, so one person can use it at no cost. You'd only need Starter or higher for things like custom fields or more storage.")],
    [("Our trial expired before we could decide. Can it be extended?",
      "I can extend a trial once by 7 days. Let me know which workspace it is and I'll apply the extension today."),
     ("It's the Northwind Ops workspace.",
      "Thanks, the Northwind Ops trial now runs for 7 more days. You'll see the new end date under Admin > Billing."),
     ("Can we invite the rest of the team during the extension?",
      "Of course. Invite as many people as you need during the trial; nobody is charged until you choose a plan.")],
    [("Where do I find our customer ID for the finance department?",
      "Your customer ID is printed at the top of every invoice and is also shown under Admin > Billing > Company details. It starts with the letters LSP.")],
    [("Why were we charged for a guest?",
      "Guests are free up to two per paid member. If a workspace has more guests than that, the extra ones are billed like members, which appears on the invoice as additional seats.")],
    [("Can we switch from paying by card to bank transfer?",
      "Bank transfer is available for annual plans above $1,000. If your plan qualifies, choose 'Pay by invoice' under Admin > Billing > Payment method before the next renewal.")],
    [("Hi, what's actually the difference between Starter and Team?",
      "Team adds the timeline and Gantt views, automations, time tracking and up to 50 custom fields per project instead of 10. Storage also goes from 50 GB to 250 GB."),
     ("And the price difference?",
      "On annual billing Starter is $6 and Team is $10 per member per month; on monthly billing they're $8 and $12.")],
    # technical (added)
    [("Images in task descriptions show up as broken.",
      "Broken images usually mean the original file was deleted or the link points to a site that blocks embedding. Upload the image to the task instead of linking it, and it will be stored with the task.")],
    [("The desktop app won't start on my Mac since I updated macOS.",
      "Please download the latest desktop version from our website and install it over the old one, because older builds can fail on new macOS releases. The app needs macOS 13 or later."),
     ("Did that, still the same.",
      "Then please open the Console app, filter for Larkspur and send me the last few error lines. I'll hand them to the desktop team along with your macOS version."),
     ("Sent them over just now.",
      "Thank you, they're attached to the report for the desktop team. Until it's fixed, the web app in your browser has all the same features.")],
    [("Keyboard shortcuts don't do anything in Firefox.",
      "Some Firefox add-ons capture shortcuts before they reach the page. Check Firefox's add-on settings for any that define their own shortcuts, especially tab managers and note-taking tools, and change or disable the conflicting ones.")],
    [("Tasks I complete on my phone reappear as open on the web.",
      "That points to a sync conflict in the mobile app. Pull down on the task list to force a sync, and make sure the app is on version 4 or later, which replaced the old sync engine."),
     ("I'm on 3.9.",
      "That explains it. Please update from the app store; version 4 syncs changes much more reliably, and the reopened tasks should stop.")],
    [("Our automation didn't run yesterday.",
      "Please check Automations > Run history in that project: it lists every run and any failure reason."),
     ("It says 'Limit reached'. We're on Team.",
      "Team includes 250 runs a month, so the rule will resume at the start of next month. If you need more, Business includes 5,000 runs a month, and you can upgrade from Admin > Billing.")],
    [("Dragging cards on our board is super laggy",
      "Boards with many cards per column can get slow to drag. Collapsing the done column or filtering out completed tasks usually makes it smooth again, and I've passed your workspace on to the performance team.")],
    [("Attaching a file from Google Drive gives 'access denied'.",
      "The Drive file has to be shared with the Google account that's connected in Larkspur. Open the file's sharing settings in Drive, add that account and attach it again.")],
    [("The app shows times like 3:00 PM, I want 24-hour time.",
      "You can change that under Profile > Preferences > Time format. The setting applies to the web, desktop and mobile apps.")],
    [("Comments I write on the train get lost.",
      "The mobile app needs a connection to post a comment, and if the signal drops while sending, the comment is kept as a draft in the task. Open the task again when you're back online and tap Send.")],
    [("The API returns 401 even with a token I just created.",
      "Please check that the token is sent in the Authorization header after the word Bearer, with no quotes or extra spaces. Also make sure you're calling the v2 base URL, because v1 doesn't accept the new token type.")],
    [("When I paste rows from Excel into a task it ends up as one giant task.",
      "Pasting several rows creates one task per row only in list view, and only when you paste into the empty row at the bottom. Anywhere else the text is kept as a single description.")],
    [("Gantt bars don't move when I change a dependency.",
      "Dependent tasks shift automatically only when 'Auto-schedule' is on in the Gantt view settings. With it off, Larkspur marks the conflict with a warning instead of moving the bars.")],
    [("Our time report shows zero hours even though people track time.",
      "Reports only count time entries that have been stopped, so running timers don't appear yet. Also check the report's date range, which defaults to the current week.")],
    [("We get 'file type not allowed' when attaching an .exe file.",
      "Executable files are blocked on every plan for security reasons. Put the file in a ZIP archive, or share it through Google Drive or Dropbox and attach the link.")],
    [("After login the page is just white.",
      "A blank page after sign-in is usually caused by an outdated cached copy of the app. Press Ctrl+Shift+R to reload without the cache, and if that doesn't help, clear the site data for Larkspur in your browser settings.")],
    [("Is there a known issue with the Android app today?",
      "There's no incident on the status page right now. Could you describe what you're seeing and tell me your app version, so I can check whether others have reported the same thing?"),
     ("Tasks won't open, it just shows a spinner. Version 4.2.1.",
      "Thanks. Please clear the app's cache in Android settings under Apps > Larkspur > Storage and reopen it; I've also logged your report with the Android team in case it's specific to that version.")],
    [("Custom field values disappeared after I changed the field type.",
      "Changing a field's type converts values where it can, but values that don't fit the new type are cleared. The old values are still listed in each task's Activity tab, and if many tasks are affected our team can help restore them from a backup.")],
    [("The timeline crawls when I zoom out to a full year.",
      "Zooming out to a year loads every dated task in the project at once. Filtering to one assignee or one section keeps it fast, and a quicker timeline renderer is being worked on.")],
    [("Reminders have been arriving an hour late since the clocks changed.",
      "That suggests your profile time zone is set to a fixed UTC offset rather than a city. Pick your city under Profile > Preferences > Time zone so daylight saving time is handled automatically.")],
    [("Task links in our exported PDF don't open.",
      "Task links in a PDF export only open for people who are signed in and have access to that project. Links to external websites should work for everyone, so if those fail too, tell me the project and I'll take a look.")],
    # access (added)
    [("How do I add a second admin?",
      "Go to Admin > Members, open the person's profile and change their role to Admin. Having at least two admins means you're never locked out of the settings.")],
    [("Can I sign in with my Google account?",
      "Yes, choose 'Continue with Google' on the sign-in page. If your workspace requires SAML SSO, you'll be redirected to your company's login page instead.")],
    [("I ended up with two Larkspur accounts by mistake. Can you merge them?",
      "Accounts can't be merged, but you can leave the workspace with the spare account and then delete it under Profile > Account. Ask an admin to reassign any tasks from the spare account first."),
     ("Will I lose the comments I wrote with it?",
      "No, comments stay in the workspace; after the deletion they're shown without a name attached.")],
    [("The SSO setup asks for an ACS URL. Where is it?",
      "It's shown under Admin > Security > SSO as soon as you start the SAML setup, together with the Entity ID. Copy both into the app settings of your identity provider.")],
    [("How do I change the email address I log in with?",
      "Open Profile > Account and enter the new address. We send a confirmation link to it, and the change takes effect once you click that link.")],
    [("A guest says she can't see the project I shared with her.",
      "Guests only see projects they've been added to explicitly. Open the project's Share menu and check that she's listed with at least view access; if she is, ask her to reload, since access changes can take a minute.")],
    [("Can we stop regular members from creating new projects?",
      "Yes, on Business and Enterprise an admin can limit project creation to admins under Admin > Permissions. On Team, every member can create projects.")],
    [("The codes from my authenticator app are always rejected.",
      "That's almost always a clock difference on the phone. Turn on automatic date and time in the phone's settings, then try a fresh code."),
     ("That fixed it. Where should I keep the recovery codes?",
      "Somewhere you can reach without your phone, such as a password manager or a printed copy in a safe place. You can create a new set under Profile > Security at any time.")],
    [("How do I give someone read-only access to one project?",
      "Open the project's Share menu, add the person and set their access to 'Can view'. They can follow tasks but can't change them or comment.")],
    [("SSO was switched on and now my password doesn't work anymore.",
      "Once SSO is required, passwords no longer work for members of that workspace. Choose 'Sign in with SSO' on the login page and enter your work address, and you'll be sent to your company's login.")],
    [("Can admins see my private tasks?",
      "Private tasks are visible only to you and the people you share them with, and admins can't open them in the app. They are, however, included when an admin exports the whole workspace.")],
    [("We need to remove access for 40 people at once.",
      "In Admin > Members, tick the people with the checkboxes and choose Deactivate from the bulk menu. On Enterprise with SCIM, deactivating them in your identity provider does the same automatically.")],
    [("Can I use a hardware security key with the mobile app?",
      "Yes, security keys work on iOS and Android if the phone supports NFC or USB keys. Your authenticator app code works as the second factor as well.")],
    [("How can I check who has admin rights in our workspace?",
      "In Admin > Members, choose 'Admin' in the role filter to list everyone with admin rights. The workspace owner is marked with a crown icon.")],
    [("My manager left and I need access to her private projects.",
      "Private projects can only be opened by their members. A workspace admin can add you to them from Admin > Projects, which lists every project, including private ones.")],
    [("Is there a way to get notified when someone new joins our workspace?",
      "Admins can turn on 'New member joined' under Profile > Notifications > Admin alerts. You'll then get an email and an inbox item for every new member and guest.")],
    [("The verification link says it was already used.",
      "That means the address is already verified, often because a mail scanner opened the link first. Just sign in normally, and if you're still asked to verify, I can send a new link.")],
    [("Can we require SSO for employees but still let outside guests log in?",
      "Yes. With 'Require SSO' on, guests from outside your company domain can still sign in with a password and two-factor authentication. Admins set this under Admin > Security > SSO.")],
    [("how do I sign out of all devices",
      "Open Profile > Security and click 'Sign out everywhere'. Every session ends right away, including the mobile and desktop apps, and you'll need to sign in again on each device.")],
    [("A former employee still receives notification emails from us.",
      "Deactivated members don't get notifications, so that person is probably still active and was only removed from some projects. Deactivate them under Admin > Members, which stops all emails at once.")],
    # feature requests (added)
    [("Could you add story point estimates?",
      "You can add a Number custom field called Story points today, and sprint velocity can be calculated from it. A built-in estimate field is on the roadmap, and I've added your vote.")],
    [("I'd love a Gantt chart that spans several projects.",
      "A cross-project Gantt isn't available yet, but portfolios on Business show several projects' timelines side by side. I've logged your request for a combined Gantt with dependencies across projects.")],
    [("Any chance of an ARM build of the Linux desktop app?",
      "The Linux desktop app is built for x86-64 only at the moment. ARM builds are being considered and I've added your request; the web app works fully in the meantime.")],
    [("Please let us customize the notification email templates.",
      "Notification emails can't be customized today, although Enterprise workspaces can add their logo to them. I've recorded your request for editable templates.")],
    [("Could recurring tasks skip public holidays?",
      "Recurring tasks follow the calendar only, so they don't know about holidays yet. Setting working days under Admin > Workspace settings at least skips weekends, and I've passed the holiday idea on to the team.")],
    [("It'd be handy to mention a whole team in a comment instead of each person.",
      "Mentioning a team isn't possible yet, though you can create a team under Admin > Teams and add it as a follower of the task. Team mentions are on the roadmap, and I've added your vote.")],
    [("Can you add a report that shows how long tasks sit in each status?",
      "There's no time-in-status report yet, but the task export includes a timestamp for every status change, so you can work it out in a spreadsheet. I've also logged your request with the reporting team.")],
    [("Will there be a Larkspur app for Apple Watch?",
      "There are no plans for a watch app right now. The iPhone app's notifications do show up on the watch, though, and you can mark a task complete straight from the notification.")],
    [("We want to hide some custom fields from guests.",
      "Guests currently see all fields of the projects they're in. Field-level permissions are planned; until then, keep sensitive details in a separate project that guests aren't added to.")],
    [("Could the board show how many tasks are in each column?",
      "Good news, that already exists: turn on 'Show task count' in the board's view settings and every column header shows its count.")],
    [("Any plans for a Google Sheets integration?",
      "There's no native Google Sheets integration, but Zapier can add a row for every new or completed task. A scheduled export to Google Drive is also on our roadmap.")],
    [("Can different projects have different workflows?",
      "Yes, that's already possible: each project defines its own statuses under Customize > Statuses. A workspace-wide library of statuses is something the team is looking at.")],
    [("I'd like the next task to start automatically when its blocker is finished.",
      "When a blocking task is completed, the assignee of the waiting task is notified automatically. To also change its status, create an automation with the trigger 'Blocker completed' and the action 'Set status'.")],
    [("Would you consider a cheaper plan for tiny teams?",
      "The Free plan covers up to 3 members, and Starter at $6 per member per month on annual billing is our smallest paid plan. I've shared your pricing feedback with the product team.")],
    [("Can we get formula custom fields?",
      "Formula fields aren't available yet; custom fields can be text, number, date, dropdown, checkbox or person. It's a popular request and I've added your workspace to it."),
     ("Is there an ETA?",
      "We don't give dates for roadmap items. If you follow the request on the public roadmap, you'll get an email when it moves to 'In progress'.")],
    [("The mobile app really needs a quick-add button.",
      "On both iOS and Android you can long-press the Larkspur icon and choose 'New task' to add one quickly. A full home screen widget isn't available yet, and I've added your vote for it.")],
    [("Can you support more than one assignee per task?",
      "Tasks have a single assignee by design, so it's always clear who is responsible. You can add collaborators who get the same notifications, and I've noted your interest in multiple assignees.")],
    [("Could outside people submit requests without getting access to the project?",
      "Yes, forms do exactly that on Business and Enterprise: anyone with the form link can submit a request, which becomes a task in the project. They don't need an account or access to the project.")],
    [("I'd like to remap the keyboard shortcuts.",
      "Shortcuts can't be remapped today. Pressing the question mark key shows the full list, and I've recorded your request for custom shortcuts.")],
    [("Could you make it possible to export the audit log?",
      "Business and Enterprise admins can already export the audit log as CSV from Admin > Security > Audit log. Enterprise also offers a streaming export to your SIEM.")],
    # integrations (added)
    [("How do I connect GitLab?",
      "An admin connects GitLab under Admin > Integrations > GitLab, for GitLab.com or a self-managed instance. Afterwards, mentioning a task key in a merge request links it to the task.")],
    [("Our Figma previews only say 'no access'.",
      "Previews use the Figma account of the person viewing the task. Make sure they're signed in to Figma in the same browser and have access to the file.")],
    [("Can I get Larkspur notifications as Slack DMs instead of email?",
      "Yes. Once the Slack integration is installed, open Profile > Notifications and choose Slack as a channel. Each member links their own Slack account the first time.")],
    [("The Outlook add-in is greyed out for me.",
      "If your organization blocks add-ins that people install themselves, your Microsoft 365 admin has to allow it. Ask IT to deploy it from the Microsoft 365 admin center, then restart Outlook.")],
    [("Does the Zendesk integration need a particular Zendesk plan?",
      "It works with any Zendesk plan that supports apps in the ticket sidebar. On the Larkspur side it's included from the Team plan upwards.")],
    [("Can Jira epics map to Larkspur projects?",
      "The Jira sync maps one Jira project to one Larkspur project, and epics become parent tasks with their issues as subtasks. You choose the mapping in the first step of the sync setup.")],
    [("Webhook calls to our server keep timing out.",
      "Larkspur waits 10 seconds for a response before it counts a delivery as failed. Reply with a 200 right away and process the event in the background; failed deliveries are retried up to 5 times.")],
    [("Is there an official Python library for the API?",
      "We publish official client libraries for JavaScript and Python, both linked from the API documentation. They cover the whole v2 API, including pagination."),
     ("Does it handle 429 responses for me?",
      "Yes, the clients wait for the time given in the Retry-After header and retry automatically, up to three times by default.")],
    [("Can two Slack workspaces be connected to one Larkspur workspace?",
      "Yes, you can add more than one Slack workspace under Admin > Integrations > Slack. Each project can then post to channels in any of them.")],
    [("The Dropbox integration keeps asking me to log in again.",
      "Dropbox ends the connection when your Dropbox password changes or when Larkspur is removed from Dropbox's security page. Reconnect under Profile > Connected apps and it should stay signed in after that.")],
    [("Does Larkspur work with Power BI?",
      "There's no native Power BI connector, but you can load data through the REST API or from a CSV export. Several customers use the API with Power BI's web connector.")],
    [("How do I stop the GitHub integration from closing our tasks?",
      "Tasks are closed only when a pull request with a closing keyword such as 'Fixes' is merged. You can turn that off under Admin > Integrations > GitHub by unticking 'Close tasks on merge'.")],
    [("If I subscribe to the calendar feed, can other people see my tasks?",
      "The calendar feed is personal: it contains only tasks you can see and uses a private link. Don't share that link, and if it ever leaks you can reset it under Profile > Calendar feed.")],
    [("The Teams app posts our updates in the wrong channel.",
      "Each project picks its channel under Project settings > Microsoft Teams. Choose the right channel there and save, and new updates will go to it.")],
    [("Can Salesforce create a project automatically when a deal closes?",
      "Yes, on Business and Enterprise the Salesforce integration can create a project from a template when an Opportunity moves to Closed Won. You set this up under Admin > Integrations > Salesforce > Rules.")],
    [("We use Make, not Zapier. Is that supported?",
      "There's no official Make app yet, but Make's HTTP module works with our REST API and webhooks. I've noted your interest in an official app.")],
    [("How do I import our projects from Asana?",
      "Use Admin > Import > Asana and sign in to Asana when asked. Projects, sections, tasks, subtasks, assignees and comments come over, and custom fields can be mapped in the preview."),
     ("How long does that take?",
      "Most imports finish within a few minutes, and very large ones can take up to an hour. You'll get an email when it's done.")],
    [("Can the API create a task directly in a specific section?",
      "Yes, pass a section_id when you create the task with the v2 API. The sections endpoint of each project lists the IDs.")],
    [("Larkspur links in Slack don't show a preview.",
      "Link previews only appear in channels the Larkspur app has been added to. Add the app from the channel's Integrations tab, and links posted after that will unfurl with a preview.")],
    [("Can events from Google Calendar become tasks in Larkspur?",
      "The calendar integration works in one direction only: Larkspur tasks appear in Google Calendar, but calendar events don't become tasks. Zapier can create a task from a new calendar event if you need that.")],
    # cancellation (added)
    [("What happens to our guests when we cancel?",
      "Guests keep their access while the workspace is active. Once the paid period ends and the workspace turns read-only, they can still view the projects they were invited to until the data is deleted.")],
    [("I want to downgrade from Business to Starter.",
      "You can do that under Admin > Billing > Change plan. The change takes effect at the start of your next billing period, and features Starter doesn't include, such as automations and SSO, stop working then."),
     ("What happens to our automations?",
      "They're kept but paused, so nothing is lost. If you move back to Team or higher later, you can switch them on again.")],
    [("I was charged after cancelling!",
      "I'm sorry for the confusion. Could you send me the invoice number of that charge? If it's a renewal that happened after you cancelled, I'll arrange a full refund."),
     ("INV-2026-0118",
      "Thanks. The cancellation had been saved for a different workspace, so this one renewed; I've asked billing to refund INV-2026-0118 in full and cancelled the right workspace.")],
    [("Can we cancel just some seats on our annual plan?",
      "Seats removed during an annual term are credited on your next invoice rather than refunded. Deactivate those members under Admin > Members and the credit is calculated automatically.")],
    [("We're moving to Jira. Which export format should we use?",
      "Jira's CSV importer works best with our CSV export, which has one row per task and custom fields as columns. Comments aren't in the CSV, so keep the JSON export as well if you need them for your records.")],
    [("Is a deleted workspace gone immediately?",
      "Yes. When the owner deletes a workspace under Admin > Danger zone, it's removed right away and can't be restored, and backups are purged within 30 days. If you might need the data again, export it first.")],
    [("Can I cancel over the phone?",
      "We don't take cancellations by phone, but the workspace owner can cancel in a few clicks under Admin > Billing. If that isn't possible for you, tell me here and I'll process it once we've verified the owner.")],
    [("our trial ended, are you going to charge us?",
      "No, a trial without a payment card never charges anything. Your workspace has moved to the Free plan, and you can upgrade whenever you like.")],
    [("I cancelled by mistake. Can I undo it?",
      "Yes, as long as the paid period hasn't ended. Go to Admin > Billing and click 'Resume subscription', and the plan will renew as before.")],
    [("We're merging two workspaces and want to cancel one of them afterwards.",
      "First move the projects you need with 'Move to workspace' in each project's menu; their members are invited to the target workspace automatically. Then cancel the empty workspace under its own Admin > Billing.")],
    [("Do we get our money back if we cancel in the first week of the annual plan?",
      "Yes, purchases and renewals can be refunded in full within 14 days. Cancel under Admin > Billing and reply here, and I'll ask billing to process the refund.")],
    [("Does cancelling delete my personal account too?",
      "No, cancelling a workspace's subscription doesn't touch your personal account. You can still join other workspaces or create a new one with the same login.")],
    [("How do we end an Enterprise contract?",
      "Enterprise contracts are cancelled through your account manager, following the notice period in the contract. I can pass a message on to them if you like.")],
    [("What does read-only mean after the plan ends?",
      "Everyone can still open and search projects and download attachments, but nobody can create or change tasks. Integrations and automations stop as well.")],
    [("The owner who set up billing is on leave and we need to cancel now.",
      "Ownership can only be transferred by the current owner, so we'll need to verify your company instead. Please write to us from a company address with the latest invoice number, and we'll cancel the subscription for you.")],
    [("Can we keep our projects on a free plan as an archive?",
      "Downgrading to Free keeps your projects available as long as you have no more than 3 members. Those members can keep editing, and anything beyond the Free limits, such as storage over 1 GB, becomes read-only.")],
    [("Why don't I see a cancel button?",
      "Only the workspace owner can cancel the subscription, so the button is hidden for other admins. Admin > Members shows who the owner is.")],
    [("Do unused automation runs carry over if we downgrade?",
      "Unused runs don't carry over, because the allowance resets at the start of every month. Your rules are kept when you downgrade, but they pause on plans without automations.")],
    [("If we cancel, what happens to our API tokens and webhooks?",
      "They keep working until the paid period ends. After that the workspace is read-only, so API calls that change data are rejected and webhooks stop.")],
    [("Can we go from annual back to monthly billing?",
      "Yes, but the change only takes effect at the end of the current annual term. Set it under Admin > Billing > Billing cycle, and monthly billing starts after the renewal date.")],
    # how-to (added)
    [("How do I create a form?",
      "In a project, open Views > Add view > Form and add the fields people should fill in. Each submission creates a task in the project, and on Business and Enterprise you can share the form with a public link.")],
    [("How can I filter a board to show only my own tasks?",
      "Click Filter at the top of the board and choose Assignee > Me. Save it as a saved filter if you want to reuse it later.")],
    [("How do I mention a colleague in a comment?",
      "Type the at sign followed by the first letters of their name and pick them from the suggestions. They get a notification in their inbox and, depending on their settings, by email.")],
    [("How do I add one task to several projects?",
      "Open the task, click the project name under the title and choose 'Add to another project'. The task then appears in each project but keeps one history and one set of comments.")],
    [("How do I set up a portfolio?",
      "Go to Portfolios in the sidebar, click 'New portfolio' and add the projects you want to follow. Portfolios are available on Business and Enterprise.")],
    [("How do I create a goal and link it to a project?",
      "Open Goals in the sidebar, click 'New goal' and set a target, then choose 'Link project' on the goal. Its progress follows the share of completed tasks in the linked projects."),
     ("Can a goal have sub-goals?",
      "Yes, and you can set a goal's progress to roll up from its sub-goals instead of from linked projects.")],
    [("How do I hide completed tasks in list view?",
      "Open the view settings and switch 'Show completed tasks' off, or choose to show only tasks completed in the last 7 days.")],
    [("how do i make a subtask",
      "Open the task and click 'Add subtask' below the description, or select the task and press Shift+N. Subtasks can have their own assignee and due date.")],
    [("How do I group the list view by assignee?",
      "Open the list view's settings, choose Group by and select Assignee. You can also group by status, priority, due date or any dropdown custom field.")],
    [("How do I create a colored tag?",
      "Type a name into a task's Tags field and press Enter to create the tag, then click it to choose a color. Tags are shared across the whole workspace.")],
    [("How do I see everything that's due this week across all projects?",
      "My Tasks shows your own work across projects; for everyone's tasks, create a report with the filter 'Due this week' over all projects. On Business and Enterprise the workload view gives the same picture per person.")],
    [("How do I change who owns a project?",
      "Open the project menu, choose Project settings and pick someone else in the Owner field. Project owners are notified about status updates and can manage the project's members.")],
    [("How do I post a status update for a project?",
      "Open the project's Overview tab and click 'Post update', then choose On track, At risk or Off track and add a short note. Everyone following the project gets the update in their inbox.")],
    [("How do I export our time entries?",
      "Go to Reports > Time tracking, pick the date range and click Export > CSV. The file lists every entry with the person, task, project and duration.")],
    [("How do I copy a task together with its subtasks?",
      "Choose 'Duplicate' from the task's three-dot menu and tick 'Include subtasks'. Attachments and assignees can be copied as well.")],
    [("How do I make a project private?",
      "Open the project's Share menu and change 'Visible to' from Workspace to 'Only project members'. From then on only the people you add can see it.")],
    [("How do I turn off email notifications but keep the inbox?",
      "Go to Profile > Notifications and switch off email for the events you don't want. Inbox notifications stay on unless you turn them off separately.")],
    [("How do I move a task into a different section?",
      "Drag it to the section in list or board view, or change the Section field in the task panel. On mobile, open the task and tap the section name to pick another.")],
    [("How can I set our team's working days?",
      "An admin can choose them under Admin > Workspace settings > Working days. The timeline, Gantt and workload views then skip the days that are switched off.")],
    [("How do I put a cover image on a board card?",
      "Upload the image to the task and choose 'Set as cover' from the attachment's menu. If 'Card covers' is on in the board settings, the first image on a card is used automatically.")],
    [("cant find where to change my profile picture",
      "Click your avatar in the top-right corner, choose Profile and then click the picture to upload a new one. PNG or JPG images up to 5 MB work best.")],
]

CHAT_CLOSERS = [
    ("Perfect, thanks!", "You're welcome! Let me know if anything else comes up."),
    ("Great, that worked.", "Glad to hear it. Have a good day!"),
    ("ok thanks", "Anytime, I'm here if you need anything else."),
    ("Thank you, that's all for now.", "Happy to help. Take care!"),
    ("Got it, appreciate the quick answer.", "My pleasure. Feel free to reach out again whenever you need."),
    ("That's what I needed, cheers.", "Great! Enjoy the rest of your day."),
]
CHAT_CLOSER_RATE = 0.3
CLAUDE_SHARE = 130           # conversations for the Claude file; the rest go to the Nova file
MIN_RECORDS = 100            # per clean chat / Q&A file: Llama 3.1 fine-tuning on Bedrock needs 100+
CLAUDE_RESERVED = ("\nHuman:", "\nAssistant:")
NOVA_RESERVED = ("system:", "user:", "bot:", "assistant:", "thought:", "[eos]", "<image>", "<video>", "<unk>")

# --------------------------------------------------------------------------------------------
# Product Q&A (prompt-completion): full-sentence answers; dates only as ISO (YYYY-MM-DD).
# --------------------------------------------------------------------------------------------
PRODUCT_QA = [
    ("What plans does Larkspur offer?",
     "Larkspur has five plans: Free, Starter, Team, Business and Enterprise. Free covers up to 3 members, and every paid plan is billed per member."),
    ("How much does the Team plan cost?",
     "The Team plan costs $10 per member per month when billed annually and $12 per member per month when billed monthly."),
    ("What is the price of Starter?",
     "Starter costs $6 per member per month on annual billing and $8 on monthly billing."),
    ("how much is business per user",
     "The Business plan is $18 per member per month when billed annually and $22 when billed monthly."),
    ("How is Enterprise priced?",
     "Enterprise pricing is quoted per contract and depends on the number of seats and the support level. You can request a quote from the sales team on the pricing page."),
    ("Is there a free trial?",
     "Yes, the Team and Business plans come with a 14-day free trial. No payment card is needed to start it."),
    ("What discount do I get for paying yearly?",
     "Annual billing gives you two months free, which works out to about 17 percent off the monthly price."),
    ("Do guests count as paid seats?",
     "No, guests are free on every paid plan, up to two guests per paid member. Guests only see the projects they are invited to."),
    ("Do you have nonprofit or education pricing?",
     "Registered nonprofits and accredited schools get 50 percent off the Team and Business plans. Proof of status can be uploaded on the billing page."),
    ("Which payment methods are accepted?",
     "Larkspur accepts Visa, Mastercard and American Express. Annual plans above $1,000 can also be paid by bank transfer."),
    ("When did the current prices take effect?",
     "The current prices took effect on 2026-01-01. Existing annual subscriptions keep their previous price until their next renewal."),
    ("What's the maximum attachment size?",
     "Each attachment can be up to 100 MB on paid plans and up to 20 MB on the Free plan."),
    ("How much storage does each plan include?",
     "Free includes 1 GB per workspace, Starter 50 GB and Team 250 GB. Business and Enterprise have unlimited storage."),
    ("How many custom fields can a project have?",
     "Projects on Team and above can have up to 50 custom fields. Starter allows 10, and the Free plan has no custom fields."),
    ("When was the Gantt view released?",
     "The Gantt view became generally available on 2024-09-17. It is included in the Team, Business and Enterprise plans."),
    ("Which plans include the workload view?",
     "The workload view is part of the Business and Enterprise plans. It became generally available on 2025-02-11."),
    ("What is the API rate limit?",
     "The API allows 100 requests per minute per token. Requests above the limit get HTTP 429 with a Retry-After header that says how many seconds to wait."),
    ("When will API v1 be shut down?",
     "API v1 is deprecated and will be switched off on 2026-03-31. Version 2 has been available since 2024-04-02 and is the one to migrate to."),
    ("What date format does the API expect?",
     "The API expects ISO 8601 dates such as 2026-03-14. Timestamps are returned in UTC."),
    ("Does Larkspur support single sign-on?",
     "SAML single sign-on is available on the Business and Enterprise plans. It works with Okta, Microsoft Entra ID, Google Workspace and any other SAML 2.0 identity provider."),
    ("Can users be provisioned automatically with SCIM?",
     "SCIM provisioning is available on the Enterprise plan. It creates, updates and deactivates members from your identity provider."),
    ("How do I protect my account with two-factor authentication?",
     "Any member can turn on two-factor authentication with an authenticator app or a security key under Profile > Security. Admins on Business and Enterprise can make it mandatory for the whole workspace."),
    ("What are recovery codes for?",
     "Recovery codes let you sign in when you don't have your second factor at hand. You get ten codes when you set up two-factor authentication, and each code works only once."),
    ("Where is our data stored?",
     "Each workspace is hosted either in the United States or in the European Union (Frankfurt). The region is chosen when the workspace is created."),
    ("Can a workspace move from the US region to the EU region?",
     "Yes, Business and Enterprise workspaces can be migrated on request. The workspace is read-only for up to 24 hours while the move runs."),
    ("Is there an uptime guarantee?",
     "Enterprise contracts include a 99.9 percent monthly uptime commitment with service credits. Other plans have no contractual uptime guarantee."),
    ("What are your support hours?",
     "Standard support is available Monday to Friday from 8 am to 8 pm UTC. Enterprise customers can reach support around the clock for urgent issues."),
    ("Can deleted tasks be recovered?",
     "Deleted tasks and projects stay in the trash for 30 days. Any admin can restore them from there."),
    ("What happens to our data after we cancel?",
     "The workspace stays usable until the end of the paid period and then becomes read-only. Its data is kept for 90 days after that, and backups are purged 30 days later."),
    ("How can I export all of our workspace data?",
     "An admin can export the whole workspace as JSON or CSV under Admin > Data. Attachments are delivered in a separate ZIP archive."),
    ("Can I export a single project as a PDF?",
     "Yes, board, list and report views can be exported to PDF from the Export menu of the view."),
    ("What is the keyboard shortcut for the command palette?",
     "Press Ctrl+K on Windows and Linux or Cmd+K on macOS to open the command palette."),
    ("Is there a shortcut for creating a task?",
     "Press N anywhere inside a project to create a new task. Press Shift+N to create a subtask under the selected task."),
    ("Which phones can run the Larkspur app?",
     "The mobile apps run on iOS 16 or later and on Android 10 or later."),
    ("Does Larkspur work offline?",
     "The desktop app keeps recently opened projects available read-only without a connection. Creating or editing tasks requires being online."),
    ("Which operating systems does the desktop app support?",
     "The desktop app is available for macOS 13 or later, Windows 10 or later and recent versions of Ubuntu and Fedora."),
    ("How do recurring tasks work?",
     "A recurring task repeats daily, weekly, monthly, yearly or on a custom interval. The next occurrence is created when the current one is completed or when its scheduled date arrives."),
    ("Which dependency types are supported?",
     "Larkspur currently supports finish-to-start dependencies only. A task with an unfinished predecessor is marked as blocked."),
    ("How many automation runs do we get each month?",
     "The Team plan includes 250 automation runs per month and Business includes 5,000. Enterprise workspaces have no monthly limit."),
    ("When were automations introduced?",
     "Automations were released on 2023-11-08 for Team, Business and Enterprise workspaces."),
    ("Is time tracking built in?",
     "Yes, tasks have a built-in timer and accept manual time entries on the Team plan and above. Time entries can be exported as CSV from the reports page."),
    ("Why do due dates look different for colleagues abroad?",
     "Due dates are shown in each member's own time zone. Everyone can set their time zone under Profile > Preferences."),
    ("Which tools does Larkspur integrate with?",
     "Larkspur integrates with Slack, Microsoft Teams, GitHub, GitLab, Jira Cloud, Google Calendar, Outlook, Google Drive, Dropbox, Figma, Salesforce, Zendesk and Zapier."),
    ("Is the Jira integration two-way?",
     "Status, assignee, due date and comments sync both ways between Jira Cloud and Larkspur. Attachments only sync from Jira into Larkspur."),
    ("How do I link a GitHub commit to a task?",
     "Mention the task key, such as WEB-482, in the commit message or the pull request title. Writing Fixes WEB-482 closes the task when the pull request is merged."),
    ("Can I create tasks from Slack?",
     "Yes, type /larkspur followed by a task title in any channel where the Slack integration is installed. Slack then asks which project the task belongs to."),
    ("Are webhooks retried if my endpoint is down?",
     "Failed webhook deliveries are retried up to 5 times with increasing delays. Deliveries are at least once, so use the event_id field to ignore repeats."),
    ("What can Zapier do with Larkspur?",
     "Zapier can react to new tasks, completed tasks and new comments. It can also create and update tasks in any project the connected account can edit."),
    ("How often does the calendar feed refresh?",
     "Larkspur updates the calendar feed within a few minutes of a change. Calendar apps decide on their own how often they fetch it, which can take an hour or more."),
    ("How does email-to-task work?",
     "Each project has its own email address, and every message sent to it becomes a task. Attachments of up to 10 MB per message are kept on the task."),
    ("Can I import from Trello or Asana?",
     "Yes, there are importers for Trello, Asana and CSV files under Admin > Import. The Trello importer brings over lists, cards, checklists, members and due dates."),
    ("What date format should my CSV import use?",
     "ISO dates such as 2026-03-14 are read correctly every time. For other formats, choose the date order of the column in the import preview."),
    ("How do I transfer workspace ownership?",
     "The current owner can transfer ownership to another admin under Admin > Members. The new owner gets an email and must accept the transfer."),
    ("What happens when I deactivate a member?",
     "A deactivated member loses access immediately, while their tasks and comments stay in place. The seat is removed from the next invoice."),
    ("How is adding a member in the middle of a billing period charged?",
     "New members are charged pro rata for the rest of the billing period. Members who are removed are credited on the next invoice."),
    ("Where do I change the billing contact?",
     "The billing contact is set under Admin > Billing > Billing contact. Invoices and payment notices are sent there."),
    ("How do I add our VAT ID to invoices?",
     "Add the VAT ID under Admin > Billing > Company details. It appears on every invoice issued after that, and the reverse-charge rule is applied where it is valid."),
    ("In which currencies can we be invoiced?",
     "Invoices can be issued in USD, EUR or GBP. The currency is set at the first purchase and can be changed by contacting support."),
    ("Can invoices show a purchase order number?",
     "Yes, enter the PO number under Admin > Billing > Invoice details. It will be printed on all invoices issued from then on."),
    ("Can I pause my subscription?",
     "Subscriptions cannot be paused. Downgrading to the Free plan keeps every project, and anything beyond the Free limits becomes read-only."),
    ("Is there a cancellation fee?",
     "There is no cancellation fee. An annual plan stays active until the end of its term after you cancel."),
    ("What is the refund policy?",
     "Payments can be refunded within 14 days of a purchase or renewal. After that, the plan stays active until the end of the paid period without a partial refund."),
    ("How do I cancel a subscription I bought on iPhone?",
     "Subscriptions bought in the iOS app are managed by Apple. Cancel them in the iPhone settings under your name and then Subscriptions."),
    ("Is Larkspur SOC 2 compliant?",
     "Larkspur is audited for SOC 2 Type II every year. The latest report is dated 2025-08-29 and is available under a non-disclosure agreement."),
    ("Do you sign a data processing agreement?",
     "Yes, the data processing agreement can be accepted by an admin under Admin > Legal. A signed copy is then available for download on the same page."),
    ("What are the password rules?",
     "Passwords need at least 12 characters and may not appear in known lists of breached passwords. There are no rules about special characters."),
    ("How long does a login session last?",
     "Web sessions last 14 days of inactivity before you have to sign in again. Enterprise admins can set a shorter session length."),
    ("Is there an audit log?",
     "Business and Enterprise workspaces have an audit log under Admin > Security. Entries are kept for 365 days on Business and for three years on Enterprise."),
    ("Is there a limit on workspace members?",
     "Paid plans have no limit on the number of members. The Free plan is limited to 3 members."),
    ("What does a project template include?",
     "A template keeps the sections, tasks, custom fields and views of the project it was made from. Automations are not copied into new projects yet."),
    ("Does Larkspur support sprints?",
     "Sprints are available on the Team plan and above. Each sprint has a velocity chart, and a burndown chart is not available yet."),
    ("Does the app have a dark mode?",
     "The web and desktop apps have a dark mode under Profile > Preferences > Theme. The mobile apps currently use the light theme only."),
    ("Which languages is the interface available in?",
     "The interface is available in English, German, French, Spanish and Japanese. Each member picks a language under Profile > Preferences."),
    ("How deep can subtasks be nested?",
     "Tasks can have subtasks, and those subtasks can have subtasks of their own. Nesting stops at that second level."),
    ("Can I use Markdown in task descriptions?",
     "Descriptions and comments support Markdown headings, lists, links and code blocks. Markdown tables are not supported yet."),
    ("Are there AI features?",
     "AI summaries of comment threads have been in beta since 2025-10-01 for Business and Enterprise. Admins can switch them on or off under Admin > Labs."),
    ("When did version 4 of the mobile apps come out?",
     "Version 4 of the iOS and Android apps was released on 2025-05-20. It introduced a new inbox and faster sync."),
    ("Where can I check whether Larkspur is having an outage?",
     "The Larkspur status page lists current incidents and planned maintenance. You can subscribe there to get updates by email."),
    ("When does planned maintenance happen?",
     "Planned maintenance is announced at least 7 days in advance and usually happens on Sunday mornings UTC. Most maintenance causes no downtime."),
    ("How many tasks can a project hold?",
     "A project can hold up to 50,000 tasks. Large projects load faster when they are split into sections."),
    ("How do I create an API token?",
     "Create a token under Profile > API tokens. The token is shown only once, so store it in a safe place right away."),
    ("Can I share a project with people who don't have an account?",
     "Business and Enterprise workspaces can create read-only share links for a single view. Links can be protected with a password and given an expiry date."),
    # added to reach about 130 records (Llama 3.1 on Bedrock needs at least 100)
    ("How do I invite new people to a workspace?",
     "Admins invite people under Admin > Members > Invite by entering their work addresses. Invitations stay valid for 7 days."),
    ("Can I change plans in the middle of a billing period?",
     "Upgrades take effect immediately and are charged pro rata for the rest of the period. Downgrades take effect at the start of the next billing period."),
    ("What does the Free plan include?",
     "The Free plan includes unlimited projects for up to 3 members, 1 GB of storage and the list, board and calendar views. Timeline, Gantt and automations need a paid plan."),
    ("What happens when the free trial ends?",
     "If no plan has been chosen, the workspace moves to the Free plan when the 14-day trial ends. Projects are kept, and anything beyond the Free limits becomes read-only."),
    ("Which roles can people have in a workspace?",
     "A workspace has an owner, admins, members and guests. Project permissions can further limit a member to view, comment or edit access in each project."),
    ("What is the difference between a member and a guest?",
     "Members can see every public project in the workspace and create projects of their own. Guests only see the projects they are invited to and cannot create projects."),
    ("Is there a limit on the number of projects?",
     "There is no limit on the number of projects on any plan, including Free."),
    ("Can tasks have a priority?",
     "Every task has a priority field with the values Low, Medium, High and Urgent. Any view can be sorted and filtered by priority."),
    ("How do custom statuses work?",
     "Each project defines its own statuses under Customize > Statuses. Every status belongs to one of three groups, Not started, In progress or Done, which reports use to measure progress."),
    ("What is a saved filter?",
     "A saved filter stores a set of filter conditions for a view so it can be applied with one click. Saved filters can be private or shared with everyone who has access to the project."),
    ("What is the My Tasks page?",
     "My Tasks lists every task assigned to you across all projects, grouped by due date. You can add personal sections there without changing the original projects."),
    ("How does the inbox work?",
     "The inbox collects notifications about assignments, mentions and tasks you follow. Items can be marked as read, archived or snoozed until later."),
    ("How do I stop getting an email for every comment?",
     "Open Profile > Notifications and choose which events send an email. You can also switch to a single daily digest instead of individual messages."),
    ("What are forms used for?",
     "Forms let people outside a project submit requests that become tasks in it. Forms are available on Business and Enterprise and can be shared with a public link."),
    ("What is a portfolio?",
     "A portfolio groups several projects so their status, owners and progress can be followed on one page. Portfolios are part of the Business and Enterprise plans."),
    ("Can we track OKRs in Larkspur?",
     "Goals track objectives and can be linked to projects whose progress updates the goal automatically. Goals were released on 2025-06-24 for Business and Enterprise workspaces."),
    ("Which reports are available?",
     "The reports page has charts for tasks completed over time, tasks by status, tasks by assignee and time tracked. Every report can be exported to PDF or CSV."),
    ("Can I build my own dashboard?",
     "Dashboards combine up to 20 widgets such as charts, task lists and goal progress. They are available on the Team plan and above."),
    ("How do I duplicate a project?",
     "Choose Duplicate from the project menu and select what to copy, such as tasks, assignees, due dates and attachments. Comments are not copied."),
    ("Can a task be in more than one project?",
     "A task can be added to up to 5 projects and remains a single task with one history. A change made in one project shows up in all of them."),
    ("Is there a Kanban board?",
     "Every project has a board view with one column per section or status. Dragging a card to another column updates the task."),
    ("What does the calendar view show?",
     "The calendar view shows every task with a due date in a month or week grid. Dragging a task to another day changes its due date."),
    ("Can tasks be color-coded?",
     "Tags can be given one of 16 colors, and views can color cards by tag, priority or a dropdown custom field."),
    ("How long can a comment be?",
     "A comment can hold up to 20,000 characters. Longer texts are better attached as a file or written into the task description."),
    ("Can I edit or delete a comment after posting it?",
     "You can edit or delete your own comments at any time, and edited comments are marked as edited. Admins can delete any comment in the workspace."),
    ("Can sign-in be limited to our office network?",
     "Enterprise workspaces can restrict sign-in to a list of allowed IP ranges under Admin > Security. The restriction applies to the web, desktop and mobile apps."),
    ("Is our data encrypted?",
     "Data is encrypted in transit with TLS 1.2 or later and at rest with AES-256. Enterprise customers can also manage their own encryption keys."),
    ("Does Larkspur comply with the GDPR?",
     "Larkspur processes personal data in line with the GDPR and offers a data processing agreement to every customer. Workspaces that need EU hosting can choose the Frankfurt region when they are created."),
    ("How often is workspace data backed up?",
     "Workspace data is backed up every hour, and each backup is kept for 30 days. Backups are stored in the same region as the workspace."),
    ("Which browsers are supported?",
     "Larkspur supports the two most recent versions of Chrome, Firefox, Safari and Edge. Internet Explorer is not supported."),
    ("What does the REST API cover?",
     "The REST API covers projects, sections, tasks, comments, custom fields and members. Official client libraries are available for JavaScript and Python."),
    ("Whose permissions does an API token have?",
     "An API token belongs to the member who created it and has exactly that member's permissions. It stops working when the member is deactivated."),
    ("How does pagination work in the API?",
     "List endpoints return up to 100 items per page together with a next_cursor value. Pass that value as the cursor parameter to fetch the next page."),
    ("Is there a GitLab integration?",
     "The GitLab integration links merge requests and commits to the tasks whose keys they mention. It works with GitLab.com and with self-managed GitLab version 15 or later."),
    ("What does the Figma integration do?",
     "Pasting a Figma link into a task shows a live preview of the frame. The preview updates whenever the design changes in Figma."),
    ("How do Zendesk tickets connect to Larkspur tasks?",
     "Agents can create Larkspur tasks from Zendesk tickets and follow their status in the ticket sidebar. When the task is completed, an internal note is added to the ticket."),
    ("Can I see my Larkspur tasks in Outlook?",
     "Tasks with due dates can appear in Outlook through the calendar feed. The Outlook add-in also turns an email into a task with one click."),
    ("Can I attach files from Dropbox?",
     "Once an admin enables Dropbox under Admin > Integrations, every member can attach Dropbox files from the attachment menu of a task. The files stay in Dropbox and are shown as links."),
    ("Is there a Microsoft Teams app?",
     "The Teams app posts project updates to a channel and lets people create tasks from a message. An IT admin has to approve it in the Teams admin center first."),
    ("Can guests use the mobile apps?",
     "Guests can use the iOS and Android apps with the same access they have on the web."),
    ("How do I leave a workspace?",
     "Choose Leave workspace in the workspace menu. The owner can only leave after transferring ownership to another admin."),
    ("Can one account belong to several workspaces?",
     "One account can join any number of workspaces, each with its own plan and billing. The workspace menu in the top-left corner switches between them."),
    ("What happens if a payment fails?",
     "Failed payments are retried over 14 days, and the workspace stays fully active during that time. If the payment still fails, the workspace moves to the Free plan."),
    ("Can we get a formal quote for our procurement team?",
     "The pricing page has a Request a quote form for every paid plan. Quotes are valid for 30 days."),
    ("When did the EU data region open?",
     "The EU region in Frankfurt opened on 2022-05-09. Workspaces created since then can choose it at sign-up."),
    ("When did Larkspur launch?",
     "Larkspur launched publicly on 2019-03-12. The first version offered list and board views only."),
    ("When was the Linux desktop app released?",
     "The Linux version of the desktop app was released on 2024-11-05. It is distributed as deb and rpm packages."),
    ("Where can I see what changed in each release?",
     "Every release is listed on the changelog page in the Help menu. Larger releases are also announced in the What's new panel inside the app."),
    ("How do I reach a human at support?",
     "Use Help > Contact support in the app or the chat in the help center, and ask for a person at any point. Enterprise customers also have a dedicated support line listed in their contract."),
    ("Can I undo a change I just made?",
     "Press Ctrl+Z on Windows and Linux or Cmd+Z on macOS right after a change to undo it. Bulk changes can be undone from the confirmation banner for 10 seconds."),
    ("Is Larkspur accessible to screen reader users?",
     "The web app targets WCAG 2.1 level AA, and screen readers are supported on the web and desktop apps. Known gaps are listed in the accessibility statement in the help center."),
    ("Can I set the working days of our team?",
     "Admins set the workspace's working days under Admin > Workspace settings. The timeline, Gantt and workload views skip non-working days when they calculate durations."),
    ("Can a task have more than one assignee?",
     "A task has one assignee so that responsibility stays clear. Other people can be added as collaborators and receive the same notifications."),
    ("Which file types can be previewed in a task?",
     "Images, PDFs, videos and Office documents can be previewed directly in a task. Other file types are shown as a download link."),
]
QA_MONTH_RE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                         r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b")

# ============================================================================================
# Helpers
# ============================================================================================
SLOT_RE = re.compile(r"\{([a-z_]+?)(\d?)\}")
GREETING_RE = re.compile(r"(hi|hello|hey|good (morning|afternoon)|dear)\b", re.I)
THANKS_RE = re.compile(r"(thank|thanks|thx|cheers)", re.I)
SENTENCE_END_RE = re.compile(r"[.!?](?=\s|$)")
ISO_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def as_entry(entry):
    return entry if isinstance(entry, tuple) else (entry, None, "en")


def pick_slot(name, rng):
    source = SLOT_VALUES[name]
    return source(rng) if callable(source) else rng.choice(source)


def fill(template, rng):
    """Fill {slot} markers; {slot2} gets a value different from {slot}. Unknown braces stay."""
    chosen = {}

    def sub(match):
        base = match.group(1)
        if base not in SLOT_VALUES:
            return match.group(0)
        if match.group(0) not in chosen:
            value = pick_slot(base, rng)
            while value in chosen.values():
                value = pick_slot(base, rng)
            chosen[match.group(0)] = value
        return chosen[match.group(0)]

    return SLOT_RE.sub(sub, template)


def after_comma(text):
    """'Hi, can we ...': lowercase a plain first word, keep names such as 'Google' or 'I'."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in LOWERCASE_AFTER_COMMA else text


def dress(text, lang, rng):
    """Maybe add a greeting and/or sign-off (rng is consumed the same way for every ticket)."""
    r_open, r_close = rng.random(), rng.random()
    opener, closer = rng.choice(OPENERS), rng.choice(CLOSERS)
    if lang != "en" or len(text.split()) < 6:
        return text
    if r_open < DRESS_RATE and not GREETING_RE.match(text):
        text = f"{opener} {text if opener[-1] in '.!:' else after_comma(text)}"
    if r_close < DRESS_RATE and not THANKS_RE.search(text) and text[-1] in ".?!":
        text = f"{text} {closer}"
    return text


def shingles(text, k=5):
    text = text.lower()
    return {text[i:i + k] for i in range(max(1, len(text) - k + 1))}


def word_shingles(text, k=3):
    words = text.lower().split()
    return {" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def max_pairwise(texts):
    """(max Jaccard, i, j) over all pairs of texts (character 5-grams, lowercased)."""
    sets = [shingles(t) for t in texts]
    best = (0.0, -1, -1)
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            value = jaccard(sets[i], sets[j])
            if value > best[0]:
                best = (value, i, j)
    return best


def max_against(text, texts):
    own = shingles(text)
    return max(jaccard(own, shingles(t)) for t in texts)


def normalize(text):
    return " ".join(text.lower().split())


def sentences(text):
    return len(SENTENCE_END_RE.findall(text))


def has_control(text):
    return any(unicodedata.category(ch) == "Cc" or ch == "\ufffd" for ch in text)


def write_lines(path, lines):
    """Write byte lines joined by \\n with one final \\n (binary: no newline translation)."""
    path.write_bytes(b"\n".join(lines) + b"\n")


def check(condition, message):
    if not condition:
        sys.exit(f"make_samples: {message}")


# ============================================================================================
# support_tickets.jsonl (clean)
# ============================================================================================
def build_tickets(rng):
    """Return [{"input", "output", "also", "lang"}] in file order (shuffled across labels)."""
    tickets = []
    for label, entries in TICKETS.items():
        for entry in entries:
            text, also, lang = as_entry(entry)
            tickets.append({"input": fill(dress(text, lang, rng), rng), "output": label,
                            "also": also, "lang": lang})
    rng.shuffle(tickets)
    return tickets


def ticket_line(ticket):
    return dumps({"input": ticket["input"], "output": ticket["output"]}).encode("utf-8")


def validate_tickets(tickets):
    counts = {label: sum(t["output"] == label for t in tickets) for label in LABELS}
    check(set(t["output"] for t in tickets) == set(LABELS), "unexpected label")
    check(all(30 <= n <= 50 for n in counts.values()), f"label counts out of 30-50: {counts}")
    for t in tickets:
        check(t["input"].strip() and not has_control(t["input"]), f"bad input {t['input']!r}")
        literal_braces = re.sub(r'\{\{client_name\}\}|\{id\}|\{"', "", t["input"])
        check("{" not in literal_braces, f"unfilled slot in {t['input']!r}")
    best, i, j = max_pairwise([t["input"] for t in tickets])
    check(best <= MAX_CLEAN_JACCARD, f"near-duplicate clean tickets ({best:.3f}): "
                                     f"{tickets[i]['input']!r} / {tickets[j]['input']!r}")
    return counts, best, (tickets[i]["input"], tickets[j]["input"])


# ============================================================================================
# support_tickets_dirty.jsonl: planters return (line bytes, code, what was planted)
# ============================================================================================
class DirtyContext:
    """What a planter may look at: the clean records already written and their line numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.before = []          # clean tickets written so far
        self.line_of = []         # their 1-based line numbers in the dirty file
        self.used = set()         # indexes (into before) already used as an original
        self.near_scores = []     # (char-5, word-3) Jaccard of each near-duplicate vs its original

    def pick_original(self, accept, longest=False):
        """An unused earlier English clean ticket that `accept`s: a random one, or the longest."""
        found = [i for i, t in enumerate(self.before)
                 if i not in self.used and t["lang"] == "en" and accept(t["input"])]
        check(found, "no original found for a planted duplicate")
        i = (max(found, key=lambda k: len(self.before[k]["input"])) if longest
             else found[self.rng.randrange(len(found))])
        self.used.add(i)
        return i


def record_line(obj):
    return dumps(obj).encode("utf-8")


def plant_blank_line(ctx):
    return b"", "FT108", "empty line between two records"


def plant_whitespace_line(ctx):
    return WHITESPACE_LINE, "FT108", "whitespace-only line (spaces and a tab)"


def plant_truncated_json(ctx):
    text, label = DIRTY_TEXTS["truncated_json"]
    full = dumps({"input": text, "output": label})
    return full[:len(full) * 3 // 5].encode("utf-8"), "FT101", "record cut off mid-string (truncated JSON)"


def plant_nan_value(ctx):
    text, label = DIRTY_TEXTS["nan_value"]
    line = dumps({"input": text, "output": label})[:-1] + ', "confidence": NaN}'
    return line.encode("utf-8"), "FT101", "`NaN` as a value (`\"confidence\": NaN`), not valid JSON"


def plant_json_array(ctx):
    return b"[1, 2, 3]", "FT102", "JSON array `[1, 2, 3]` instead of an object"


def plant_json_string(ctx):
    return record_line(DIRTY_TEXTS["json_string"][0]), "FT102", "a bare JSON string instead of an object"


def plant_missing_output(ctx):
    text, label = DIRTY_TEXTS["missing_output"]
    return (record_line({"input": text, "ouput": label}), "FT103",
            "no `output` key (misspelled `ouput`)")


def plant_output_number(ctx):
    text, label = DIRTY_TEXTS["output_number"]
    return record_line({"input": text, "output": label}), "FT103", "`output` is the number 5, not a string"


def plant_prompt_completion(ctx):
    text, label = DIRTY_TEXTS["prompt_completion"]
    return (record_line({"prompt": text, "completion": label}), "FT104",
            "a prompt-completion record in an input-output file")


def plant_whitespace_input(ctx):
    text, label = DIRTY_TEXTS["whitespace_input"]
    return record_line({"input": text, "output": label}), "FT105", "`input` is three spaces"


def plant_nul_char(ctx):
    text, label = DIRTY_TEXTS["nul_char"]
    return (record_line({"input": text, "output": label}), "FT106",
            "NUL character (`\\u0000` escape) inside `input`")


def plant_replacement_char(ctx):
    text, label = DIRTY_TEXTS["replacement_char"]
    return (record_line({"input": text, "output": label}), "FT106",
            "U+FFFD replacement character inside `input`")


def plant_invalid_utf8(ctx):
    text, label = DIRTY_TEXTS["invalid_utf8"]
    head, tail = record_line({"input": text, "output": label}).split(b"{BYTES}")
    return head + INVALID_BYTES + tail, "FT106", "raw bytes `\\xff\\xfe` inside `input` (invalid UTF-8)"


def plant_duplicate_key(ctx):
    first, second = DIRTY_TEXTS["duplicate_key"]
    line = f'{{"input": {dumps(first)}, "input": {dumps(second)}, "output": "billing"}}'
    return line.encode("utf-8"), "FT109", "key `input` twice in one object"


def plant_exact_duplicate(ctx):
    i = ctx.pick_original(lambda s: 8 <= len(s.split()) <= 30)
    return ticket_line(ctx.before[i]), "FT201", f"identical copy of line {ctx.line_of[i]}"


def plant_exact_duplicate_case_ws(ctx):
    i = ctx.pick_original(lambda s: 8 <= len(s.split()) <= 30 and s.lower() != s)
    original = ctx.before[i]
    words = original["input"].lower().split()
    text = " ".join(words[:3]) + "  " + " ".join(words[3:]) + " "
    check(normalize(text) == normalize(original["input"]) and text != original["input"], "case/ws dup")
    return (record_line({"input": text, "output": original["output"]}), "FT201",
            f"copy of line {ctx.line_of[i]} differing only in case and whitespace")


def near_duplicate(ctx, accept, edit):
    i = ctx.pick_original(lambda s: len(s.split()) >= 25 and accept(s), longest=True)
    original = ctx.before[i]
    text, detail = edit(original["input"])
    check(normalize(text) != normalize(original["input"]), "near-duplicate equals its original")
    ctx.near_scores.append((jaccard(shingles(text), shingles(original["input"])),
                            jaccard(word_shingles(text), word_shingles(original["input"]))))
    return (record_line({"input": text, "output": original["output"]}), "FT202",
            f"near-duplicate of line {ctx.line_of[i]}: {detail}")


def swap_two_words(text):
    words = text.split(" ")
    hits = [k for k, w in enumerate(words) if w in WORD_SWAPS][:2]
    for k in hits:
        words[k] = WORD_SWAPS[words[k]]
    return " ".join(words), "two words changed (" + ", ".join(
        f"'{w}' to '{WORD_SWAPS[w]}'" for w in (text.split(" ")[k] for k in hits)) + ")"


def change_punctuation(text):
    end = {".": "!", "?": "??", "!": "."}
    edited = text.replace(", ", " ", 1)
    edited = edited[:-1] + end[edited[-1]] if edited[-1] in end else edited + "."
    return edited, "punctuation only: first comma dropped, final punctuation changed"


def plant_near_duplicate_words(ctx):
    return near_duplicate(ctx, lambda s: sum(w in WORD_SWAPS for w in s.split(" ")) >= 2,
                          swap_two_words)


def plant_near_duplicate_append(ctx):
    return near_duplicate(ctx, lambda s: True,
                          lambda s: (f"{s} {APPENDED_WORD}", f"word '{APPENDED_WORD}' appended"))


def plant_near_duplicate_punct(ctx):
    return near_duplicate(ctx, lambda s: "," in s, change_punctuation)


def plant_conflicting_label(ctx):
    i = None
    for k, t in enumerate(ctx.before):
        if k not in ctx.used and t["also"]:
            i = k
            break
    check(i is not None, "no ambiguous ticket before the conflicting-label plant")
    ctx.used.add(i)
    original = ctx.before[i]
    return (record_line({"input": original["input"], "output": original["also"]}), "FT203",
            f"same input as line {ctx.line_of[i]} (`{original['output']}`) labelled `{original['also']}`")


def label_variant(key):
    def plant(ctx):
        text, label = DIRTY_TEXTS[key]
        return record_line({"input": text, "output": label}), "FT303", f"label variant `{dumps(label)}`"
    return plant


def plant_pii(ctx):
    text, label = DIRTY_TEXTS["pii"]
    return (record_line({"input": text, "output": label}), "FT701",
            "e-mail address and phone number in `input`")


def plant_secret(ctx):
    text, label = DIRTY_TEXTS["secret"]
    return (record_line({"input": text, "output": label}), "FT702",
            "AWS access key id `AKIAQZ6JYWVDAMXIQK36` in `input`")


PLANTERS = {
    "blank_line": plant_blank_line,
    "whitespace_line": plant_whitespace_line,
    "truncated_json": plant_truncated_json,
    "nan_value": plant_nan_value,
    "json_array": plant_json_array,
    "json_string": plant_json_string,
    "missing_output": plant_missing_output,
    "output_number": plant_output_number,
    "prompt_completion": plant_prompt_completion,
    "whitespace_input": plant_whitespace_input,
    "nul_char": plant_nul_char,
    "replacement_char": plant_replacement_char,
    "invalid_utf8": plant_invalid_utf8,
    "duplicate_key": plant_duplicate_key,
    "exact_duplicate": plant_exact_duplicate,
    "exact_duplicate_case_ws": plant_exact_duplicate_case_ws,
    "near_duplicate_words": plant_near_duplicate_words,
    "near_duplicate_append": plant_near_duplicate_append,
    "near_duplicate_punct": plant_near_duplicate_punct,
    "conflicting_label": plant_conflicting_label,
    "label_Billing": label_variant("label_Billing"),
    "label_billing_space": label_variant("label_billing_space"),
    "label_Technical_Issue": label_variant("label_Technical_Issue"),
    "label_technical_space": label_variant("label_technical_space"),
    "pii": plant_pii,
    "secret": plant_secret,
}


def build_dirty(tickets, rng):
    """Return (lines, table) where table rows are (line, code, what, kind)."""
    ctx = DirtyContext(rng)
    plan = {}
    for after, kind in DIRTY_PLAN:
        plan.setdefault(after, []).append(kind)
    lines, table = [], []
    for n, ticket in enumerate(tickets, 1):
        lines.append(ticket_line(ticket))
        ctx.before.append(ticket)
        ctx.line_of.append(len(lines))
        for kind in plan.get(n, []):
            data, code, what = PLANTERS[kind](ctx)
            lines.append(data)
            table.append((len(lines), code, what, kind))
    return lines, table, ctx.near_scores


def validate_dirty_texts(tickets):
    clean = [t["input"] for t in tickets]
    fresh = []
    for key, (text, extra) in DIRTY_TEXTS.items():
        fresh.append(text.replace("{BYTES}", ""))
        if key == "duplicate_key":
            fresh.append(extra)
    for text in fresh:
        if text.strip():
            score = max_against(text, clean)
            check(score <= MAX_CLEAN_JACCARD, f"planted text too close to a clean ticket: {text!r}")


# ============================================================================================
# support_chat_claude.jsonl / support_chat_nova.jsonl
# ============================================================================================
def build_conversations(rng):
    """Shuffle the chat bank, add a closing exchange to some, split between the two files."""
    order = list(range(len(CHATS)))
    rng.shuffle(order)
    conversations = []
    for idx in order:
        exchanges = list(CHATS[idx])
        closer = rng.choice(CHAT_CLOSERS)
        if len(exchanges) < 3 and rng.random() < CHAT_CLOSER_RATE:
            exchanges.append(closer)
        conversations.append(exchanges)
    return conversations[:CLAUDE_SHARE], conversations[CLAUDE_SHARE:]


def claude_record(exchanges):
    messages = []
    for user, assistant in exchanges:
        messages += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    return {"system": CLAUDE_SYSTEM, "messages": messages}


def nova_record(exchanges):
    messages = []
    for user, assistant in exchanges:
        messages += [{"role": "user", "content": [{"text": user}]},
                     {"role": "assistant", "content": [{"text": assistant}]}]
    return {"schemaVersion": "bedrock-conversation-2024", "system": [{"text": NOVA_SYSTEM}],
            "messages": messages}


def validate_conversations(conversations, system):
    check(len(conversations) >= MIN_RECORDS, f"only {len(conversations)} conversations (< {MIN_RECORDS})")
    texts = [system]
    for exchanges in conversations:
        check(1 <= len(exchanges) <= 3, "1-3 exchanges")
        for user, assistant in exchanges:
            check(1 <= sentences(assistant) <= 4, f"assistant answer not 1-4 sentences: {assistant!r}")
            texts += [user, assistant]
    for text in texts:
        check(text.strip() and not has_control(text), f"bad chat text {text!r}")
        check(not any(r in text for r in CLAUDE_RESERVED), f"Claude reserved string in {text!r}")
        check(not any(r in text.lower() for r in NOVA_RESERVED), f"Nova reserved string in {text!r}")
        check("@" not in text and "555" not in text, f"contact details in {text!r}")
    flat = [" ".join(u + " " + a for u, a in ex) for ex in conversations]
    best = max_pairwise(flat)[0]
    check(best <= MAX_CLEAN_JACCARD, f"near-duplicate conversations ({best:.3f})")
    return best


# ============================================================================================
# product_qa.jsonl
# ============================================================================================
def build_qa(rng):
    pairs = list(PRODUCT_QA)
    rng.shuffle(pairs)
    return [{"prompt": p, "completion": c} for p, c in pairs]


def validate_qa(records):
    check(len(records) >= MIN_RECORDS, f"only {len(records)} QA records (< {MIN_RECORDS})")
    prompts = [r["prompt"] for r in records]
    check(len(set(map(normalize, prompts))) == len(prompts), "duplicate QA prompt")
    for r in records:
        c = r["completion"]
        check(c.endswith(".") and 1 <= sentences(c) <= 3, f"completion not 1-3 full sentences: {c!r}")
        check(c.count("(") == c.count(")") and c.count('"') % 2 == 0, f"unbalanced: {c!r}")
        check(not QA_MONTH_RE.search(c), f"month name (non-ISO date) in {c!r}")
        check(not re.search(r"\d+/\d+|\d+\.\d+\.\d+", c), f"non-ISO date-like text in {c!r}")
        check(not re.search(r"[!?]", c), f"completion sentence not ending with a period: {c!r}")
        for text in (r["prompt"], c):
            check(not has_control(text) and "@" not in text, f"bad QA text {text!r}")
    best_prompt = max_pairwise(prompts)[0]
    best_pair = max_pairwise([r["prompt"] + " " + r["completion"] for r in records])[0]
    check(max(best_prompt, best_pair) <= MAX_CLEAN_JACCARD, "near-duplicate QA records")
    iso = sorted({d for r in records for d in ISO_DATE_RE.findall(r["completion"])})
    return best_prompt, best_pair, iso


# ============================================================================================
# README.md
# ============================================================================================
# The rows of the files that benchmarks/make_bedrock_samples.py writes (and what it says of them),
# kept here so that this script writes sample_data/README.md as it is, byte for byte.
BEDROCK_FILES = """\
| `math_rft.jsonl` | rft | 120 | reinforcement fine-tuning prompts with reference answers (strings and objects), 12 with a calculator tool |
| `distill_prompts_nova.jsonl` | bedrock-conversation | 120 | prompt-only distillation records (no assistant turn) |
| `invocation_logs.jsonl` | invocation-log | 110 | Bedrock model invocation logs (Converse, Nova Pro), as logging writes them to S3 |
| `tool_use_nova.jsonl` | bedrock-conversation | 40 | Nova tool use: toolConfig, toolUse and toolResult blocks |
| `product_images.jsonl` | image-caption | 12 | image-ref S3 URIs with captions (Titan Image Generator, Nova Canvas) |
| `images/captions.jsonl` | image-caption | 12 | the same captions with local image paths, and the 12 PNG files (512 or 640 x 512 px) |
| `xray_embeddings.jsonl` | image-caption | 1,000 | label captions that repeat across images (Titan Multimodal Embeddings) |

The Bedrock-job files above are written by `python benchmarks/make_bedrock_samples.py`
(`random.Random(11)`, byte-identical on every run; Pillow for the PNGs). Each passes its target
with no error: `math_rft.jsonl` the RFT targets, `distill_prompts_nova.jsonl` and
`invocation_logs.jsonl` `distill-nova-pro-to-nova-lite`, `tool_use_nova.jsonl` `nova-lite`,
`product_images.jsonl` and `images/captions.jsonl` (with `--check-images -O FT618.allow-local=true`)
`titan-image-generator-v2`, `xray_embeddings.jsonl` `titan-multimodal-embeddings`
(tests/test_bedrock_targets.py)."""


def readme(counts, tickets, n_dirty_lines, table, n_claude, n_nova, n_qa, best, val_table=(), n_val=0):
    n_tickets = len(tickets)
    words = sorted(len(t["input"].split()) for t in tickets)
    label_list = ", ".join(f"`{label}` {counts[label]}" for label in LABELS)
    rows = "\n".join(f"| {line} | {code} | {what} |" for line, code, what, _ in table)
    val_rows = "\n".join(f"| {line} | {code} | {what} |" for line, code, what in val_table)
    return f"""# Sample data

Small, realistic datasets for ftlint's README, tests and demos: the support desk of **Larkspur**, a
fictional project-management SaaS. Everything here is generated by
`python benchmarks/make_samples.py` (stdlib only, `random.Random({SEED})`, byte-identical on every
run): edit the generator, not these files. Names of companies, workspaces, order and invoice
numbers are invented; the only contact details and credentials are the planted ones listed below
(`example.com` address, `555-01xx` phone number, AWS's documented example key).

| file | format | records | what |
|---|---|---|---|
| `support_tickets.jsonl` | input-output | {n_tickets} | clean ticket-classification set, 6 labels |
| `support_tickets_dirty.jsonl` | input-output | {n_dirty_lines} lines | the clean set plus {len(table)} planted problems |
| `support_chat_claude.jsonl` | claude-messages | {n_claude} | clean support conversations, 1-3 exchanges |
| `support_chat_nova.jsonl` | bedrock-conversation | {n_nova} | clean in-app help conversations, 1-3 exchanges |
| `product_qa.jsonl` | prompt-completion | {n_qa} | clean product questions with full-sentence answers |
| `product_qa_dirty.jsonl` | prompt-completion | {n_qa + len(make_content_samples.PLANTED)} | the Q&A set plus {len(make_content_samples.PLANTED)} planted content problems (FT4/FT5) |
| `support_tickets_val.jsonl` | input-output | {n_val} | a validation file for `support_tickets.jsonl` with {len(val_table)} planted leaks |
{BEDROCK_FILES}

## support_tickets.jsonl

`{{"input": "<customer message>", "output": "<label>"}}`, labels: {label_list}. Messages run from {words[0]} to
{words[-1]} words (median {words[len(words) // 2]}), some with typos, order/invoice numbers, dates written many ways, inline code
or error messages, and a few in Spanish, German and Japanese. Some are deliberately ambiguous
between two labels (a realistic share of borderline cases). No two inputs have a character-5-gram
Jaccard similarity above {MAX_CLEAN_JACCARD} (measured maximum: {best:.3f}); no control characters, no blank
lines. ftlint should report no errors or warnings on this file.

## support_tickets_dirty.jsonl

The clean records in the same order, with planted lines inserted between them (the file has
{n_dirty_lines} lines: {n_tickets} clean records + {len(table)} planted lines). Every planted line and the code
ftlint should report for it:

| line | code | what was planted |
|---|---|---|
{rows}

All other lines are clean records. Secondary findings a checker may add on top of the table:
FT302 rare-label for the four label variants (one record each); FT105 or FT103 for the empty input;
the conflicting-label line is not an FT201 exact duplicate because its label differs; the
punctuation-only near-duplicate becomes an FT201 only for a normalizer that strips punctuation
(ftlint's FT201 normalizes case and whitespace only). Line numbers are 1-based and were verified
by re-reading the written file.

## support_tickets_val.jsonl

A held-out file for `ftlint check sample_data/support_tickets.jsonl --validation
sample_data/support_tickets_val.jsonl`: {n_val - len(val_table)} new tickets and {len(val_table)} planted leaks of training
records, each reported on the validation line with the training line in `related`:

| val line | code | what was planted |
|---|---|---|
{val_rows}

## support_chat_claude.jsonl / support_chat_nova.jsonl

Multi-turn support conversations with a fixed system prompt: every conversation starts with the
user, alternates, and ends with the assistant; assistant turns are 1-4 sentences. Neither file
contains Claude's reserved `\\nHuman:` / `\\nAssistant:` or Nova's reserved strings (`System:`,
`User:`, `Bot:`, `Assistant:`, `Thought:`, `[EOS]`, `<image>`, `<video>`, `<unk>`, any case).
Both files, and `product_qa.jsonl`, have at least {MIN_RECORDS} records, the minimum for Llama 3.1
fine-tuning on Amazon Bedrock, so each set still passes its target after `ftlint convert`
(chats converted to prompt-completion keep only their last exchange: use `--allow-lossy`).

## product_qa.jsonl

Questions about Larkspur and answers of 1-3 sentences, each ending with a period; every date is
written `YYYY-MM-DD`; no duplicate prompts.
"""


# ============================================================================================
# support_tickets_val.jsonl: a held-out file with planted train/validation leaks (FT204)
# ============================================================================================
VAL_CLEAN = [
    ("Is there a way to pin a comment to the top of a task thread?", "feature_request"),
    ("My card was declined when renewing, but the bank says the payment went through.", "billing"),
    ("The Zapier trigger for new tasks fires twice for every task we create.", "integrations"),
    ("I changed my email address and now the verification link says it has expired.", "account_access"),
    ("Gantt view freezes the whole tab as soon as I drag a milestone.", "technical_issue"),
    ("We are closing the company at the end of the quarter, please stop the subscription then.", "cancellation"),
]


def build_validation(tickets):
    """Clean held-out tickets plus three planted leaks of training records; (lines, table)."""
    rows = [{"input": text, "output": label} for text, label in VAL_CLEAN]
    for text, _ in VAL_CLEAN:
        check(max_against(text, [t["input"] for t in tickets]) <= MAX_CLEAN_JACCARD, f"val text too close: {text}")
    exact, near, conflict = tickets[10], tickets[20], tickets[30]
    leaks = [
        (2, {"input": "  " + exact["input"].upper() + " ", "output": exact["output"]},
         f"copy of training line {11} differing only in case and whitespace"),
        (4, {"input": near["input"] + " Thanks!", "output": near["output"]},
         f"near-duplicate of training line {21}: 'Thanks!' appended"),
        (6, {"input": conflict["input"], "output": next(x for x in LABELS if x != conflict["output"])},
         f"same input as training line {31} with another label"),
    ]
    table = []
    for line, row, what in leaks:
        rows.insert(line - 1, row)
        table.append((line, "FT204", what))
    return [record_line(r) for r in rows], table


# ============================================================================================
# Verification by re-reading what was written
# ============================================================================================
def verify_dirty(path, lines, table, tickets):
    data = path.read_bytes()
    check(data.endswith(b"\n") and not data.endswith(b"\n\n"), "dirty file must end with one newline")
    read = data[:-1].split(b"\n")
    check(read == lines, "dirty file differs from what was planned")
    planted = {line for line, *_ in table}
    clean_iter = iter(tickets)
    for n, raw in enumerate(read, 1):
        if n not in planted:
            check(raw == ticket_line(next(clean_iter)), f"line {n} is not the clean record")
    kinds = {kind: line for line, _, _, kind in table}
    check(read[kinds["blank_line"] - 1] == b"", "blank line")
    check(read[kinds["whitespace_line"] - 1].strip() == b"" != read[kinds["whitespace_line"] - 1], "ws line")
    try:
        read[kinds["invalid_utf8"] - 1].decode("utf-8")
        check(False, "invalid UTF-8 line decodes")
    except UnicodeDecodeError:
        pass
    check(b"\\u0000" in read[kinds["nul_char"] - 1], "NUL escape")
    check(b"NaN" in read[kinds["nan_value"] - 1], "NaN")
    check(read[kinds["duplicate_key"] - 1].count(b'"input":') == 2, "duplicate key")
    check(b"AKIAQZ6JYWVDAMXIQK36" in read[kinds["secret"] - 1], "secret")


def verify_readme(path, table):
    dirty_part = path.read_text(encoding="utf-8").split("## support_tickets_val.jsonl")[0]
    rows = re.findall(r"^\| (\d+) \| (FT\d{3}) \| ", dirty_part, re.M)
    check([(int(a), b) for a, b in rows] == [(line, code) for line, code, *_ in table], "README table drift")


# ============================================================================================
# main
# ============================================================================================
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make_samples.py",
        description="Regenerate ftlint's sample datasets (sample_data/) byte for byte: deterministic, "
                    "stdlib only. Writes every sample file and sample_data/README.md.")
    parser.add_argument("--out", type=Path, default=OUT_DIR, metavar="DIR",
                        help=f"folder to write into (default: {OUT_DIR.name}/ of this checkout)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None):
    global OUT_DIR
    args = parse_args(argv)  # --help and a bad option exit here, before anything is written
    OUT_DIR = args.out.resolve()
    make_content_samples.ROOT = OUT_DIR  # it reads product_qa.jsonl from, and writes into, the same folder
    rng = random.Random(SEED)
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    tickets = build_tickets(rng)
    counts, best, best_pair = validate_tickets(tickets)
    validate_dirty_texts(tickets)
    write_lines(OUT_DIR / "support_tickets.jsonl", [ticket_line(t) for t in tickets])

    dirty_lines, table, near_scores = build_dirty(tickets, rng)
    check(all(c5 >= 0.75 for c5, _ in near_scores), f"near-duplicates not near enough: {near_scores}")
    dirty_path = OUT_DIR / "support_tickets_dirty.jsonl"
    write_lines(dirty_path, dirty_lines)
    verify_dirty(dirty_path, dirty_lines, table, tickets)

    claude, nova = build_conversations(rng)
    best_claude = validate_conversations(claude, CLAUDE_SYSTEM)
    best_nova = validate_conversations(nova, NOVA_SYSTEM)
    write_lines(OUT_DIR / "support_chat_claude.jsonl", [record_line(claude_record(c)) for c in claude])
    write_lines(OUT_DIR / "support_chat_nova.jsonl", [record_line(nova_record(c)) for c in nova])

    qa = build_qa(rng)
    best_qa_prompt, best_qa_pair, iso_dates = validate_qa(qa)
    write_lines(OUT_DIR / "product_qa.jsonl", [record_line(r) for r in qa])

    val_lines, val_table = build_validation(tickets)
    write_lines(OUT_DIR / "support_tickets_val.jsonl", val_lines)

    qa_dirty_table = make_content_samples.write()
    readme_path = OUT_DIR / "README.md"
    readme_path.write_bytes((readme(counts, tickets, len(dirty_lines), table, len(claude),
                                    len(nova), len(qa), best, val_table, len(val_lines))
                             + make_content_samples.readme_section(qa_dirty_table)).encode("utf-8"))
    verify_readme(readme_path, table)

    words = sorted(len(t["input"].split()) for t in tickets)
    print(f"support_tickets.jsonl        {len(tickets)} records  {counts}")
    print(f"  words per input: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}; "
          f"ambiguous {sum(bool(t['also']) for t in tickets)}, "
          f"non-English {sum(t['lang'] != 'en' for t in tickets)}")
    print(f"  max pairwise char-5-gram Jaccard: {best:.4f}  ({best_pair[0]!r} / {best_pair[1]!r})")
    print(f"support_tickets_dirty.jsonl  {len(dirty_lines)} lines, {len(table)} planted")
    for line, code, what, _ in table:
        print(f"  {line:>4}  {code}  {what}")
    print("  near-duplicates vs original (char-5, word-3 Jaccard): "
          + ", ".join(f"{a:.3f}/{b:.3f}" for a, b in near_scores))
    print(f"support_chat_claude.jsonl    {len(claude)} conversations, "
          f"{sum(len(c) for c in claude)} exchanges, max Jaccard {best_claude:.4f}")
    print(f"support_chat_nova.jsonl      {len(nova)} conversations, "
          f"{sum(len(c) for c in nova)} exchanges, max Jaccard {best_nova:.4f}")
    print(f"product_qa.jsonl             {len(qa)} records, max Jaccard prompts {best_qa_prompt:.4f}, "
          f"records {best_qa_pair:.4f}; dates {iso_dates}")


if __name__ == "__main__":
    main()
