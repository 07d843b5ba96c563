//! The built-in detectors: pure functions from gathered facts to hits. Each script gets at most
//! one shebang finding for its root cause: a missing interpreter is reported as such, not also
//! as too long or CRLF (the same fix repairs all of it).

use std::path::PathBuf;

use super::facts::{Facts, InterpState, OwnPython};
use super::rules::Detect;
use crate::shebang::Form;

/// One detector result: the file it is about and the values for the message template.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: PathBuf,
    pub vars: Vec<(&'static str, String)>,
}

fn hit(path: &std::path::Path, vars: Vec<(&'static str, String)>) -> Hit {
    Hit {
        path: path.to_path_buf(),
        vars,
    }
}

/// Run the detector `d.kind` over `f`.
pub fn run(d: &Detect, f: &Facts) -> Vec<Hit> {
    match d.kind.as_str() {
        "interpreter-missing" => by_state(f, |s| matches!(s, InterpState::Missing)),
        "interpreter-not-executable" => by_state(f, |s| matches!(s, InterpState::NotExecutable)),
        "interpreter-foreign-env" => foreign(f),
        "shebang-crlf" => healthy_scripts(f)
            .filter(|(s, _)| s.header.crlf)
            .map(|(s, i)| hit(&s.path, vec![("interpreter", i)]))
            .collect(),
        "shebang-length" => length(d, f),
        "shebang-space" => healthy_scripts(f)
            .filter_map(|(s, i)| match &s.header.form {
                Form::Direct {
                    kernel_interpreter,
                    intended,
                    ..
                } if kernel_interpreter != intended => Some(hit(
                    &s.path,
                    vec![
                        ("interpreter", i),
                        ("detail", kernel_interpreter.display().to_string()),
                    ],
                )),
                // An unquoted path with spaces in a trampoline: `sh` splits it into words.
                Form::Trampoline {
                    interpreter,
                    quote: crate::shebang::Quote::Bare,
                    ..
                } if interpreter.as_os_str().as_encoded_bytes().contains(&b' ') => {
                    let first = i.split(' ').next().unwrap_or_default().to_owned();
                    Some(hit(&s.path, vec![("interpreter", i), ("detail", first)]))
                }
                _ => None,
            })
            .collect(),
        "env-program-unresolved" => f
            .listing
            .scripts
            .iter()
            .filter_map(|s| match &s.header.form {
                Form::Env { program, .. } if f.env_programs.get(program) == Some(&false) => {
                    Some(hit(&s.path, vec![("interpreter", program.clone())]))
                }
                _ => None,
            })
            .collect(),
        "script-unreadable" => f
            .listing
            .unreadable
            .iter()
            .map(|(p, why)| hit(p, vec![("detail", why.clone())]))
            .collect(),
        "env-python-dangling" => match &f.own_python {
            OwnPython::Dangling { path, target } => {
                vec![hit(
                    path,
                    vec![
                        ("interpreter", path.display().to_string()),
                        ("detail", format!("-> {}", target.display())),
                    ],
                )]
            }
            _ => vec![],
        },
        "pyvenv-home-missing" => match &f.home {
            Some((home, false)) => vec![hit(
                &f.env.root.join("pyvenv.cfg"),
                vec![("interpreter", home.display().to_string())],
            )],
            _ => vec![],
        },
        "activate-stale" => f
            .activates
            .iter()
            .filter_map(|a| {
                let stale = a
                    .values
                    .iter()
                    .find(|v| !f.is_own_root(std::path::Path::new(v)))?;
                Some(hit(&a.path, vec![("interpreter", stale.clone())]))
            })
            .collect(),
        "pyvenv-command-stale" => {
            let target = f.env.cfg.as_ref().and_then(|c| c.command_target());
            match target {
                Some(t) if !f.is_own_root(std::path::Path::new(&t)) => {
                    vec![hit(
                        &f.env.root.join("pyvenv.cfg"),
                        vec![("interpreter", t)],
                    )]
                }
                _ => vec![],
            }
        }
        "pip-index-retired" => f
            .pip
            .iter()
            .filter_map(
                |p| match crate::mirrors::recognise(crate::mirrors::known(), &p.url) {
                    Some((m, true)) => Some(hit(
                        &p.source,
                        vec![("interpreter", p.url.clone()), ("detail", m.url.clone())],
                    )),
                    _ => None,
                },
            )
            .collect(),
        "pip-index-http-untrusted" => {
            let trusted: Vec<&str> = f
                .pip
                .iter()
                .flat_map(|p| p.trusted.iter().map(String::as_str))
                .collect();
            f.pip
                .iter()
                .filter_map(|p| {
                    let u = reqwest::Url::parse(&p.url).ok()?;
                    let host = u.host_str()?;
                    let ok = u.scheme() != "http"
                        || trusted
                            .iter()
                            .any(|t| *t == host || t.split(':').next() == Some(host));
                    (!ok).then(|| {
                        hit(
                            &p.source,
                            vec![("interpreter", p.url.clone()), ("detail", host.to_owned())],
                        )
                    })
                })
                .collect()
        }
        "pip-index-unreachable" => f
            .pip
            .iter()
            .filter_map(|p| {
                let why = p.unreachable.as_ref()?;
                Some(hit(
                    &p.source,
                    vec![("interpreter", p.url.clone()), ("detail", why.clone())],
                ))
            })
            .collect(),
        "pyvenv-cfg-missing" => {
            if f.env.kind == crate::env::EnvKind::Venv && f.env.cfg.is_none() {
                vec![hit(&f.env.root.join("pyvenv.cfg"), vec![])]
            } else {
                vec![]
            }
        }
        "pyvenv-version-mismatch" => {
            let Some(v) = f.env.cfg.as_ref().and_then(|c| c.version()) else {
                return vec![];
            };
            let mm: String = v.split('.').take(2).collect::<Vec<_>>().join(".");
            if f.lib_versions.is_empty() || f.lib_versions.contains(&mm) {
                return vec![];
            }
            vec![hit(
                &f.env.root.join("pyvenv.cfg"),
                vec![
                    ("interpreter", v.to_owned()),
                    (
                        "detail",
                        format!("lib/python{}", f.lib_versions.join(", lib/python")),
                    ),
                ],
            )]
        }
        "kernelspec-python-missing" => f
            .kernels
            .iter()
            .filter(|k| !k.exists)
            .map(|k| hit(&k.path, vec![("interpreter", k.argv0.clone())]))
            .collect(),
        "virtual-env-stale" => f
            .process
            .stale_virtual_env
            .iter()
            .map(|p| {
                hit(
                    std::path::Path::new("$VIRTUAL_ENV"),
                    vec![("interpreter", p.display().to_string())],
                )
            })
            .collect(),
        "pythonhome-set" => f
            .process
            .pythonhome
            .iter()
            .map(|p| {
                hit(
                    std::path::Path::new("$PYTHONHOME"),
                    vec![("interpreter", p.clone())],
                )
            })
            .collect(),
        "pip-config-invalid" => f
            .pip_config_errors
            .iter()
            .map(|(p, why)| hit(p, vec![("detail", why.clone())]))
            .collect(),
        "ipython-autoreload" => match (&f.ipython, &f.ipython_profile) {
            (true, Some((p, false))) => vec![hit(p, vec![])],
            (true, None) => vec![hit(
                std::path::Path::new("~/.ipython/profile_default/ipython_config.py"),
                vec![],
            )],
            _ => vec![],
        },
        // Unknown kinds are rejected when rules load.
        _ => vec![],
    }
}

fn by_state(f: &Facts, pred: impl Fn(&InterpState) -> bool) -> Vec<Hit> {
    f.scripts()
        .filter(|(_, state)| pred(state))
        .filter_map(|(s, _)| {
            let p = s.header.interpreter()?;
            Some(hit(&s.path, vec![("interpreter", p.display().to_string())]))
        })
        .collect()
}

fn foreign(f: &Facts) -> Vec<Hit> {
    f.scripts()
        .filter_map(|(s, state)| {
            let p = s.header.interpreter()?;
            match state {
                InterpState::Foreign { owner } => Some(hit(
                    &s.path,
                    vec![
                        ("interpreter", p.display().to_string()),
                        ("owner", owner.display().to_string()),
                    ],
                )),
                _ => None,
            }
        })
        .collect()
}

/// Scripts whose interpreter is fine, so a secondary problem is their root cause.
fn healthy_scripts(f: &Facts) -> impl Iterator<Item = (&crate::scripts::Script, String)> {
    f.scripts().filter_map(|(s, state)| {
        let p = s.header.interpreter()?;
        (*state == InterpState::Ok).then(|| (s, p.display().to_string()))
    })
}

fn length(d: &Detect, f: &Facts) -> Vec<Hit> {
    let min = d.min_bytes.unwrap_or(0);
    let max = d.max_bytes.unwrap_or(usize::MAX);
    let limit = min.saturating_sub(1);
    let mut hits: Vec<Hit> = healthy_scripts(f)
        .filter(|(s, _)| matches!(s.header.form, Form::Direct { .. }))
        .filter(|(s, _)| (min..=max).contains(&s.header.line_one_len))
        .map(|(s, _)| {
            hit(
                &s.path,
                vec![
                    ("bytes", s.header.line_one_len.to_string()),
                    ("limit", limit.to_string()),
                ],
            )
        })
        .collect();
    // Files whose line one did not end within the bytes read are too long for any kernel.
    if max == usize::MAX {
        hits.extend(f.listing.overlong.iter().map(|p| {
            hit(
                p,
                vec![
                    ("bytes", format!("over {}", crate::scripts::HEAD_MAX)),
                    ("limit", limit.to_string()),
                ],
            )
        }));
    }
    hits
}
