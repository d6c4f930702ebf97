# gunicorn -c app/reports/gunicorn.conf.py shop.reports:app
# Reports are slow: the manifest's max_response_time says 120s.
bind = "127.0.0.1:8004"
timeout = 120
