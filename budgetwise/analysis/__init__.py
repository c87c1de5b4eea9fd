"""Pure analyses shared by several services (no database, no Streamlit): recurring payments."""
