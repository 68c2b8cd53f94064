//! `vejviser release`: freeze the current version in the archive and set the
//! new version, approvals and planned update, for the secretariat.

use chrono::NaiveDate;
use clap::{ArgMatches, FromArgMatches};
use std::path::{Path, PathBuf};
use vejviser_check::CheckContext;
use vejviser_diagnostics::Diagnostic;
use vejviser_load::{Registries, Source, SourceKind};
use vejviser_model::Version;
use vejviser_release::{ArchiveAction, NewApproval, Release};
use vejviser_template::TemplateSet;

/// Release a new version: archive the current one, then set version, approvals and planned update
#[derive(clap::Args)]
#[command(
    after_help = "A published guideline is copied to archive/<its version>.md first (refused if that file exists with other content); \
a draft is approved in place. The result is checked before anything is written, and a failure at any step leaves every file as it was.\n\
Exit status: 0 released (or would be, with --dry-run), 1 the result would not pass the check, 2 bad arguments or nothing could be written.\n\n\
Examples:\n  vejviser release guidelines/dmsg/myelomatose-hdt --version 2.1 --dry-run\n  vejviser release guidelines/dmsg/myelomatose-hdt/guideline.md --version 2.1 \\\n      --approved-professionally 2026-05-04 --by \"Dansk Myelomatose Studiegruppe\" \\\n      --approved-administratively 2026-06-01 --by \"SundK Retningslinjefunktionen\" \\\n      --planned-update 2029-05-01"
)]
struct Raw {
    /// The guideline.md to release, or its folder
    path: PathBuf,
    /// The new version, MAJOR.MINOR (higher than the current one)
    #[arg(long, value_name = "X.Y", value_parser = parse_version)]
    version: Version,
    /// Date of the professional approval by the group; follow it with --by BODY
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    approved_professionally: Option<NaiveDate>,
    /// Date of the administrative approval; follow it with --by BODY
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    approved_administratively: Option<NaiveDate>,
    /// Who gave the approval just before it
    #[arg(long, value_name = "BODY")]
    by: Vec<String>,
    /// When the guideline is next to be updated (at most five years after approval)
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    planned_update: Option<NaiveDate>,
    /// Show what would change (archive and front matter diff) without writing
    #[arg(long)]
    dry_run: bool,
    /// The date the result is checked for (default: today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    /// Days before the planned update the result counts as due (a warning in its check)
    #[arg(long, value_name = "DAYS", default_value_t = vejviser_revision::DEFAULT_DUE_WITHIN_DAYS)]
    due_within: u32,
}

/// The arguments, each `--by` paired with the approval flag before it (or
/// why they cannot be paired, reported by [`run`] as a release error).
pub struct Args {
    raw: Raw,
    by: Result<(Option<String>, Option<String>), String>,
}

fn parse_version(s: &str) -> Result<Version, String> {
    Version::parse(s).ok_or_else(|| format!("`{s}` is not a version; write MAJOR.MINOR, e.g. 2.1"))
}

#[derive(Clone, Copy, PartialEq)]
enum Flag {
    Professional,
    Administrative,
    /// The k-th `--by`.
    By(usize),
}

impl Flag {
    fn name(self) -> &'static str {
        match self {
            Flag::Professional => "--approved-professionally",
            Flag::Administrative => "--approved-administratively",
            Flag::By(_) => "--by",
        }
    }
}

/// Pairs each `--by` with the closest `--approved-…` flag before it on the command line.
fn pair_by(m: &ArgMatches, raw: &Raw) -> Result<(Option<String>, Option<String>), String> {
    let mut events: Vec<(usize, Flag)> = Vec::new();
    for (id, flag) in [
        ("approved_professionally", Flag::Professional),
        ("approved_administratively", Flag::Administrative),
    ] {
        if let Some(ix) = m.indices_of(id) {
            events.extend(ix.map(|i| (i, flag)));
        }
    }
    if let Some(ix) = m.indices_of("by") {
        events.extend(ix.enumerate().map(|(k, i)| (i, Flag::By(k))));
    }
    events.sort_by_key(|e| e.0);
    let (mut prof, mut adm) = (None, None);
    let mut open: Option<Flag> = None;
    for (_, e) in events {
        match e {
            Flag::By(k) => {
                let who = raw.by[k].trim().to_string();
                if who.is_empty() {
                    return Err("--by needs the name of the approving body".into());
                }
                match open.take() {
                    Some(Flag::Professional) => prof = Some(who),
                    Some(Flag::Administrative) => adm = Some(who),
                    _ => return Err(format!("--by \"{who}\" must come right after --approved-professionally DATE or --approved-administratively DATE")),
                }
            }
            flag => {
                if let Some(prev) = open {
                    return Err(format!("{} needs --by BODY after it", prev.name()));
                }
                open = Some(flag);
            }
        }
    }
    if let Some(flag) = open {
        return Err(format!("{} needs --by BODY after it", flag.name()));
    }
    Ok((prof, adm))
}

impl FromArgMatches for Args {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let raw = Raw::from_arg_matches(m)?;
        // An error here would be shown with the top-level usage; `run`
        // reports it with release's own.
        let by = pair_by(m, &raw);
        Ok(Args { raw, by })
    }
    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl clap::Args for Args {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        <Raw as clap::Args>::augment_args(cmd)
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        <Raw as clap::Args>::augment_args_for_update(cmd)
    }
}

/// Parses and checks a guideline's text as if it were the file at `path`
/// (which need not exist yet): the same rules as `vejviser check`.
pub fn check_text(
    path: &Path,
    text: &str,
    templates: &TemplateSet,
    as_of: NaiveDate,
    due_within_days: u32,
) -> Vec<Diagnostic> {
    let shown = path.display().to_string();
    let parsed = vejviser_parse::parse_str(&shown, text, templates);
    let mut diags = parsed.diagnostics;
    if let Some(g) = &parsed.guideline {
        let registries = Registries::default();
        let registry = registries.for_file(path);
        let reg = match registry.as_ref() {
            Ok(r) => r.as_ref(),
            Err(d) => {
                diags.push(d.clone());
                None
            }
        };
        let cx = CheckContext {
            template: templates
                .get(&g.template)
                .unwrap_or_else(|| templates.newest()),
            registry: reg,
            as_of,
            due_within_days,
            archived_as: None,
            front_ok: parsed.front_ok,
        };
        diags.extend(vejviser_check::check(g, &cx));
    }
    vejviser_diagnostics::sort(&mut diags);
    diags.dedup();
    diags
}

/// What the released version changes in the recommendations since its
/// previous version, in one or two lines, shown before anything is written.
/// `None` when there is no previous version to compare with.
fn changes_summary(
    path: &Path,
    plan: &vejviser_release::Plan,
    templates: &TemplateSet,
) -> Option<String> {
    use vejviser_model::Guideline;
    let parse = |text: &str| {
        vejviser_parse::parse_str(&path.display().to_string(), text, templates).guideline
    };
    let released = parse(&plan.updated)?;
    let dir = Source::new(path.to_path_buf())
        .guideline_dir()
        .to_path_buf();
    // When the current version is archived now, it is the previous one.
    let mut chain: Vec<Guideline> = match &plan.archive {
        ArchiveAction::Create(_) => {
            let current = parse(&plan.original)?;
            let mut c =
                vejviser_load::history::available_earlier_versions(&dir, &current, templates);
            c.push(current);
            c
        }
        _ => {
            vejviser_load::history::earlier_versions(&dir, &released, templates, usize::MAX).ok()?
        }
    };
    chain.last()?;
    chain.push(released);
    let refs: Vec<&Guideline> = chain.iter().collect();
    let h = vejviser_versions::history(&refs[refs.len() - 1].front.dmcg, "", &refs);
    let k = refs.len() - 1;
    let d = h.diffs[k].as_ref()?;
    let c = d.counts();
    let lang = refs[k].front.language;
    use vejviser_diagnostics::versions as wording;
    let counts = wording::counts(lang, c.added, c.removed, c.changed, c.unchanged);
    let mut out = wording::release_counts(lang, &h.versions[k - 1].to_string(), &counts);
    let un = vejviser_versions::changelog::unmentioned(d, &refs[k].changelog);
    if !un.is_empty() {
        out.push('\n');
        out.push_str(&wording::changelog_omits(lang, &un));
    }
    Some(out)
}

fn fail(msg: impl std::fmt::Display) -> u8 {
    crate::out::errln!("error: {msg}");
    crate::EXIT_USAGE
}

pub fn run(a: Args) -> u8 {
    let raw = &a.raw;
    let (professional_by, administrative_by) = match &a.by {
        Ok(by) => by.clone(),
        Err(msg) => {
            let mut cmd = <crate::Cli as clap::CommandFactory>::command();
            cmd.build();
            let usage = cmd
                .find_subcommand_mut("release")
                .map(|c| c.render_usage().to_string())
                .unwrap_or_default();
            crate::out::errln!(
                "error: {msg}\n\n{usage}\n\nFor more information, try 'vejviser release --help'."
            );
            return crate::EXIT_USAGE;
        }
    };
    let path = if raw.path.is_dir() {
        raw.path.join("guideline.md")
    } else {
        raw.path.clone()
    };
    match Source::new(path.clone()).kind {
        SourceKind::Current => {}
        SourceKind::Archived { .. } => {
            return fail(format!(
                "{} is an archived version, frozen for good; release the guideline.md next to the archive folder",
                path.display()
            ))
        }
        SourceKind::Other => {
            return fail(format!(
                "{} is not a guideline.md; give the guideline's file or folder",
                path.display()
            ))
        }
    }
    let text = match vejviser_load::read_guideline(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return fail(format!("{}: the file is not UTF-8 text", path.display())),
        },
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    let approval = |date: Option<NaiveDate>, by: &Option<String>| {
        date.zip(by.clone())
            .map(|(date, by)| NewApproval { date, by })
    };
    let release = Release {
        version: raw.version,
        professional_approval: approval(raw.approved_professionally, &professional_by),
        administrative_approval: approval(raw.approved_administratively, &administrative_by),
        planned_update: raw.planned_update,
    };
    let plan = match vejviser_release::plan(&path, &text, &release) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let templates = match vejviser_load::load_templates(&path) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let diags = check_text(
        &path,
        &plan.updated,
        &templates,
        raw.as_of.unwrap_or_else(super::today),
        raw.due_within,
    );
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if !diags.is_empty() {
        let mut err = codespan_reporting::term::termcolor::StandardStream::stderr(
            crate::diag::color_stderr(),
        );
        crate::out::errln!("the released guideline, checked:");
        crate::diag::print_human(&path.display().to_string(), &plan.updated, &diags, &mut err);
    }
    if let Some(summary) = changes_summary(&path, &plan, &templates) {
        crate::out::errln!("{summary}");
    }
    let g = path.display();
    if raw.dry_run {
        match &plan.archive {
            ArchiveAction::Create(p) => crate::out::outln!("would copy {g} to {}", p.display()),
            ArchiveAction::AlreadyArchived(p) => {
                crate::out::outln!(
                    "{} already holds this version; nothing to copy",
                    p.display()
                )
            }
            ArchiveAction::Nothing => crate::out::outln!("nothing to archive: {g} is a draft"),
        }
        let _ = crate::out::print(&plan.front_matter_diff());
        if errors > 0 {
            crate::out::errln!(
                "dry run: the result has {errors} error(s); a real release would be refused"
            );
            return crate::EXIT_FINDINGS;
        }
        crate::out::errln!("dry run: nothing was written");
        return crate::EXIT_OK;
    }
    if errors > 0 {
        crate::out::errln!("error: the released guideline would not pass the check ({errors} error(s)); nothing was written");
        return crate::EXIT_FINDINGS;
    }
    if let Err(e) = vejviser_release::apply(&plan) {
        return fail(format!("{e}; nothing was changed"));
    }
    match &plan.archive {
        ArchiveAction::Create(p) => crate::out::errln!(
            "archived version {} as {}",
            plan.current_version,
            p.display()
        ),
        ArchiveAction::AlreadyArchived(p) => crate::out::errln!(
            "version {} was already archived as {}",
            plan.current_version,
            p.display()
        ),
        ArchiveAction::Nothing => {}
    }
    let draft = vejviser_parse::parse_front_matter("", plan.updated.as_bytes())
        .0
        .is_some_and(|f| f.is_draft());
    let state = if draft { "a draft" } else { "approved" };
    crate::out::errln!("{g} is now version {} ({state})", raw.version);
    crate::EXIT_OK
}
