//! vejviser-render-pdf
