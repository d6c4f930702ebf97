# gunicorn -c app/api/gunicorn.conf.py shop.api:app
# The API's two workers' pools, as the manifest (backend api) says.
bind = ["127.0.0.1:8001", "127.0.0.1:8002"]
workers = 4
keepalive = 75
