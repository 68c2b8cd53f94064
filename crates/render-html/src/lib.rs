//! vejviser-render-html
