import json
json.load(open('assets/template.json'))
