"""A small legacy Zoho CRM integration, written before territory assignment became a background job."""
