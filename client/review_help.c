/* review_help.c -- the --help of `junheng review`, of each of its actions,
 * of `junheng inbox` and of `junheng audit` (review.h). */
#include <string.h>

#include "i18n.h"
#include "review.h"

void review_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] review ACTION [OPTIONS] [--json]\n"
          "\n"
          "The review chain (docs/review.md): the county approves or returns its schools'\n"
          "revisions (审核), seals its self-assessment (县级自评); the city reviews the sealed\n"
          "package (市级复核), records problems (问题清单), returns or passes it; the county\n"
          "answers each problem and seals again; the city closes them (销号整改).\n"
          "\n"
          "Actions (junheng review ACTION --help for each, with an example):\n"
          "  submissions --county CODE      school revisions and their review state\n"
          "  approve REVISION...            approve revisions (or --county --period --all-clean)\n"
          "  return REVISION --reason ...   return a revision to its school (--columns, --deadline)\n"
          "  return --county --period --reason   the city returns a county's package\n"
          "  reopen --school --period --reason   take a school's late submission after the close\n"
          "  seal --county --period         the county's self-assessment: freeze the official status\n"
          "  package --county --period      a sealed package (--seal N, --verify: recompute it)\n"
          "  findings --county --period     the problem list; with --item --finding: a new problem\n"
          "  override --county --period --item --field --value --reason   the city overrules an item\n"
          "  answer PROBLEM --evidence ...  the county's answer (rectified, with evidence)\n"
          "  close PROBLEM                  the city closes a rectified problem (销号)\n"
          "  pass --county --period         the city passes the package (市级复核通过)\n"
          "  pending --county CODE          who has not submitted, who awaits approval\n"
          "See also: junheng inbox, junheng audit, junheng admin period.\n"
          "\n"
          "Each action is one request on the daemon's admin socket, checked there against the\n"
          "key's rights: a school key sees its school; a county key approves, returns, seals\n"
          "and answers for its county; a monitor key with the review right (admin set-key\n"
          "... --review) records findings, overrides, returns, passes and closes in its\n"
          "scope; an admin key may do everything. An action that changes something carries\n"
          "an action id (a UUID): a resend after a timeout is never applied twice; if no\n"
          "answer came at all, the id is printed: send the same command again with\n"
          "--action-id ID.\n"
          "\n"
          "Output: a table in Chinese with the English ids beside; --json prints the\n"
          "daemon's answer as it is.\n"
          "Exit status: 0 done (or a duplicate of an action done before), 1 refused,\n"
          "2 bad usage or no key, 3 the daemon did not answer.\n"
          "\n"
          "Example:\n"
          "  junheng review pending --county 371424\n"
          "  junheng review approve --county 371424 --period 2025 --all-clean\n"),
          out);
}

/* One action's help: its synopsis, what it does, its options and an example. */
typedef struct {
    const char *word;
    const char *text;
} action_help;

static const action_help HELP[] = {
    { "submissions",
      N_("Usage: junheng review submissions (--county CODE | --school CODE) [--period P]\n"
      "                                  [--state submitted|approved|returned] [--json]\n"
      "\n"
      "The school revisions of a county (or one school) with their review state: 待审核\n"
      "submitted, 已通过 approved, 已退回 returned (with reason, columns and deadline),\n"
      "newest first per school; late (逾期) ones are marked.\n"
      "\n"
      "Example:\n"
      "  junheng review submissions --county 371424 --period 2025 --state submitted\n") },
    { "approve",
      N_("Usage: junheng review approve REVISION... [--action-id ID] [--json]\n"
      "       junheng review approve --county CODE --period P --all-clean [--action-id ID] [--json]\n"
      "\n"
      "Approves school revisions (审核通过): each becomes its school's official revision for\n"
      "its school year (the official view, junheng status --view official). Only a\n"
      "submitted revision that is its school's newest can be approved. --all-clean\n"
      "approves every submitted newest revision of the county that has no warning.\n"
      "A county key approves its own county's schools; an admin any.\n"
      "\n"
      "Examples:\n"
      "  junheng review approve 1041 1042\n"
      "  junheng review approve --county 371424 --period 2025 --all-clean\n") },
    { "return",
      N_("Usage: junheng review return REVISION --reason TEXT [--columns C,...] [--deadline YYYY-MM-DD]\n"
      "       junheng review return --county CODE --period P --reason TEXT\n"
      "\n"
      "With a REVISION: the county returns a school's submitted revision (已退回) with the\n"
      "reason, the columns concerned (submission CSV column ids, comma-separated) and a\n"
      "deadline; the school sees it in junheng inbox and sends a corrected revision.\n"
      "With --county and --period: the city returns the county's sealed package with its\n"
      "open problems (问题清单) for rectification (已退回整改).\n"
      "\n"
      "Examples:\n"
      "  junheng review return 1043 --reason \"生均体育场地面积与台账不符\" --columns sports_area_m2 \\\n"
      "          --deadline 2026-03-20\n"
      "  junheng review return --county 371424 --period 2025 --reason \"见问题清单\"\n") },
    { "reopen",
      N_("Usage: junheng review reopen --school CODE --period P --reason TEXT [--json]\n"
      "\n"
      "After a school year's closing date (junheng admin period), the county reopens it\n"
      "for one school: that school's next submissions are taken and marked late (逾期).\n"
      "\n"
      "Example:\n"
      "  junheng review reopen --school 3714240001 --period 2025 --reason \"台风停电，延期3天\"\n") },
    { "seal",
      N_("Usage: junheng review seal --county CODE --period P [--json]\n"
      "\n"
      "The county's self-assessment (县级自评): freezes the official status computed from its\n"
      "schools' approved revisions and its latest county inputs, with every revision used\n"
      "(junheng review package). The package becomes 已自评 sealed. Sealing again after\n"
      "answering the city's problems makes a new seal.\n"
      "\n"
      "Example:\n"
      "  junheng review seal --county 371424 --period 2025\n") },
    { "package",
      N_("Usage: junheng review package --county CODE --period P [--seal N] [--verify] [--json]\n"
      "\n"
      "A county's package: its state (收集中 collecting, 已自评 sealed, 市级复核中\n"
      "city_reviewing, 已退回整改 returned, 市级复核通过 city_passed), its seals, the\n"
      "revisions each seal used and the problems. --seal N: that seal (default the newest).\n"
      "--verify: the daemon recomputes the seal from the revisions it lists and compares\n"
      "the status byte for byte: identical, or the first difference.\n"
      "\n"
      "Example:\n"
      "  junheng review package --county 371424 --period 2025 --verify\n") },
    { "findings",
      N_("Usage: junheng review findings --county CODE --period P [--json]\n"
      "       junheng review findings --county CODE --period P --item N --finding TEXT\n"
      "                               [--deadline YYYY-MM-DD]\n"
      "\n"
      "Without --finding: the package's problem list (问题清单): number, item, finding,\n"
      "deadline, state (待整改 open, 已整改 rectified, 已销号 closed), the county's answer.\n"
      "With --item and --finding: the city records a new problem (a monitor key with the\n"
      "review right, or an admin); the package becomes 市级复核中 city_reviewing.\n"
      "\n"
      "Examples:\n"
      "  junheng review findings --county 371424 --period 2025 --item 2.8 --finding \"绩效工资未落实\"\n"
      "  junheng review findings --county 371424 --period 2025\n") },
    { "override",
      N_("Usage: junheng review override --county CODE --period P --item N --field F --value V\n"
      "                               --reason TEXT [--json]\n"
      "\n"
      "The city overrules a judgement item or sets a veto, in the official view only; the\n"
      "county's own value is kept beside it (county_value). --value \"\" withdraws it.\n"
      "\n"
      "Example:\n"
      "  junheng review override --county 371424 --period 2025 --item 5.2 --field present \\\n"
      "          --value present --reason \"督导组暗访发现跨区掐尖招生\"\n") },
    { "answer",
      N_("Usage: junheng review answer PROBLEM --evidence TEXT [--json]\n"
      "\n"
      "The county answers a problem of the city's list: rectified (已整改), with the\n"
      "evidence (佐证材料). Then it seals again (junheng review seal).\n"
      "\n"
      "Example:\n"
      "  junheng review answer 7 --evidence \"县政府办〔2026〕3号，绩效工资已发放\"\n") },
    { "close",
      N_("Usage: junheng review close PROBLEM [--json]\n"
      "\n"
      "The city closes a rectified problem (销号整改).\n"
      "\n"
      "Example:\n"
      "  junheng review close 7\n") },
    { "pass",
      N_("Usage: junheng review pass --county CODE --period P [--json]\n"
      "\n"
      "The city passes the county's sealed package (市级复核通过); refused while any problem\n"
      "is open or not yet closed.\n"
      "\n"
      "Example:\n"
      "  junheng review pass --county 371424 --period 2025\n") },
    { "pending",
      N_("Usage: junheng review pending --county CODE [--period P] [--json]\n"
      "\n"
      "Who has not submitted (未填报), whose submission awaits approval (待审核) or was\n"
      "returned (已退回), and the school year's closing date. A county key for its county,\n"
      "a monitor key for its scope, an admin for any. --period: default the newest period\n"
      "opened, else the newest with data.\n"
      "\n"
      "Example:\n"
      "  junheng review pending --county 371424\n") },
};

bool review_action_usage(FILE *out, const char *action)
{
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
        if (strcmp(HELP[i].word, action) == 0) {
            fputs(_(HELP[i].text), out);
            fputs(_("\nExit status: 0 done (or duplicate), 1 refused, 2 bad usage, 3 no answer.\n"), out);
            return true;
        }
    return false;
}

void inbox_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] inbox [--period P] [--json]\n"
          "\n"
          "What was returned to me, and why: for a school key, its returned revisions (reason,\n"
          "columns, deadline) and its revisions awaiting approval; for a county key, also the\n"
          "city's problems for its package (问题清单) and their state. Fix the data and send it\n"
          "again with junheng submit (a new revision, submitted again), or answer a problem\n"
          "with junheng review answer.\n"
          "\n"
          "Exit status: 0 shown, 1 refused, 2 bad usage, 3 no answer.\n"
          "\n"
          "Example:\n"
          "  junheng --key ~/.config/junheng/school.key_secret inbox\n"),
          out);
}

void audit_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] audit [--county CODE] [--since TIME] [--json]\n"
          "\n"
          "The audit log: every action of the review chain and every key or registry change,\n"
          "oldest first -- when, who (key, role, subject), what (approve 通过, return 退回,\n"
          "seal 自评, finding 问题, pass 复核通过, ...), where (county, school, school year),\n"
          "on what (revision, seal or problem) and why. Nothing updates or deletes it.\n"
          "  --county CODE   one county's actions\n"
          "  --since TIME    from this time on (YYYY-MM-DD or RFC 3339)\n"
          "  --json          the daemon's answer as it is\n"
          "A school key sees its school's rows, a county key its county's, a monitor key\n"
          "its scope's, an admin all.\n"
          "\n"
          "Exit status: 0 shown, 1 refused, 2 bad usage, 3 no answer.\n"
          "\n"
          "Example:\n"
          "  junheng audit --county 371424 --since 2026-03-01\n"),
          out);
}
