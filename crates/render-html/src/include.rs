//! The `{{include "name" key=value ...}}` helper: renders a theme partial in
//! the current context, like `{{> name key=value}}`, without copying it.
//!
//! handlebars-rust gives a `{{> partial}}` a merged copy of the whole current
//! context (even with no hash), so a page that includes eight partials at its
//! top level copies the guideline eight times; on the national corpus that was
//! half the time of rendering. `include` instead pushes a block that points at
//! the current context and carries the hash values as block params, so
//! `{{version}}` and `{{page_name}}` both resolve inside the partial as they
//! would with `{{> }}`, and a theme folder's override of any partial works
//! with either form. A hash value found in the data is passed by its path
//! rather than copied (literals are copied; they are small). One difference
//! remains: `../name` at the top level of a partial (outside any `#each`) may
//! resolve against the root instead of the caller, so the built-in partials
//! never write it there.

use handlebars::{
    BlockContext, BlockParamHolder, Context, Handlebars, Helper, HelperDef, HelperResult, Output,
    RenderContext, RenderErrorReason, Renderable,
};

/// The helper, registered as `include`.
pub struct Include;

impl HelperDef for Include {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("include", 0))?;
        let template = r
            .get_template(name)
            .ok_or_else(|| RenderErrorReason::PartialNotFound(name.to_owned()))?;
        if rc.is_current_template(name) {
            return Err(RenderErrorReason::CannotIncludeSelf.into());
        }

        let mut block = BlockContext::new();
        if let Some(parent) = rc.block() {
            block.base_path_mut().clone_from(parent.base_path());
            if let Some(value) = parent.base_value() {
                block.set_base_value(value.clone());
            }
            // @index, @first and friends stay visible, as with `{{> }}`.
            block
                .local_variables_mut()
                .clone_from(parent.local_variables());
        }
        // Values from elsewhere in the data (`@root.topics` inside a loop) are
        // held by a block of their own at the root, so they too are not copied.
        let mut rooted = BlockContext::new();
        let mut any_rooted = false;
        for (key, value) in h.hash() {
            let holder = match value.context_path() {
                Some(path) => match path.strip_prefix(block.base_path().as_slice()) {
                    Some(rest) if block.base_value().is_none() => {
                        BlockParamHolder::Path(rest.to_vec())
                    }
                    _ => {
                        any_rooted = true;
                        rooted.set_block_param(key, BlockParamHolder::Path(path.clone()));
                        continue;
                    }
                },
                None => BlockParamHolder::Value(value.value().clone()),
            };
            block.set_block_param(key, holder);
        }

        let before = rc.get_current_template_name();
        rc.set_current_template_name(template.name.as_ref());
        if any_rooted {
            rc.push_block(rooted);
        }
        rc.push_block(block);
        let result = template.render(r, ctx, rc, out);
        rc.pop_block();
        if any_rooted {
            rc.pop_block();
        }
        rc.set_current_template_name(before);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::Include;
    use handlebars::Handlebars;
    use serde_json::json;

    fn hb(partial: &str) -> Handlebars<'static> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_helper("include", Box::new(Include));
        hb.register_partial("p", partial).unwrap();
        hb
    }

    /// `include` and `{{> }}` give the same output for what the built-in
    /// templates do: context fields, hash values (literal and from the data,
    /// under the current context or not), `../` to a hash value inside an
    /// `#each`, and `@index` from an enclosing loop.
    #[test]
    fn renders_what_a_partial_renders() {
        let partial = "{{version}}/{{page_name}}/{{level}}|{{#each items}}[{{this}}:{{../level}}:{{@index}}]{{/each}}|{{labels.x}}";
        let data = json!({
            "version": "2.1",
            "labels": {"quick": "Kvikguide", "x": "root-x"},
            "items": ["a", "b"],
            "chapters": [{"labels": {"x": "chapter-x"}, "version": "c", "items": ["z"]}]
        });
        let pairs = [
            (
                r#"{{include "p" page_name=labels.quick level=3}}"#,
                r#"{{> p page_name=labels.quick level=3}}"#,
            ),
            (
                r#"{{#each chapters}}{{include "p" page_name=@root.labels.quick level=2 items=@root.items}}{{/each}}"#,
                r#"{{#each chapters}}{{> p page_name=@root.labels.quick level=2 items=@root.items}}{{/each}}"#,
            ),
            (
                r#"{{#each chapters}}{{include "p" page_name="lit" level=1}}{{/each}}"#,
                r#"{{#each chapters}}{{> p page_name="lit" level=1}}{{/each}}"#,
            ),
        ];
        let hb = hb(partial);
        for (include, partial) in pairs {
            let a = hb.render_template(include, &data).unwrap();
            let b = hb.render_template(partial, &data).unwrap();
            assert_eq!(a, b, "{include}");
        }
        assert_eq!(
            hb.render_template(r#"{{include "p" page_name="q" level=3}}"#, &data)
                .unwrap(),
            "2.1/q/3|[a:3:0][b:3:1]|root-x"
        );
    }

    #[test]
    fn a_missing_partial_or_self_inclusion_is_an_error() {
        let hb = hb(r#"{{include "p"}}"#);
        let err = hb.render_template(r#"{{include "nope"}}"#, &json!({}));
        assert!(err.unwrap_err().to_string().contains("nope"));
        assert!(hb
            .render_template(r#"{{include "p"}}"#, &json!({}))
            .is_err());
    }
}
