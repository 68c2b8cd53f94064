//! vejviser-template
