//! vejviser-diagnostics
